"""`tradelab optimize` against backtesting.py's `optimize` heatmap on W3 of the peer suite: the
first 100,000 bars of the synthetic benchmark series, sma-cross fast 5..50 step 5 x slow 20..200
step 20 (100 combinations), commission 0.2 %, the backtesting.py preset. Every combination's final
equity must be backtesting.py's, to the cent and beyond.

The cash is 1,000,000, not W3's 10,000: the series trades near 40,000 and backtesting.py buys whole
units, so with 10,000 neither side ever trades and the comparison would prove nothing. The
strategy's SMA is TA-Lib's (which Tradelab's equals): backtesting.py's own `SMA` is a pandas
rolling mean whose rounding differs in the last bits, and on 100,000 bars some averages tie
exactly, so a last-bit difference moves a crossover by one bar."""
import math
import warnings

import pandas as pd
import pytest
from backtesting import Backtest, Strategy
from backtesting.lib import crossover
import talib


CASH = 1_000_000


class SmaCross(Strategy):
    n1 = 10
    n2 = 20

    def init(self):
        close = self.data.Close.astype(float)
        self.sma1 = self.I(talib.SMA, close, self.n1)
        self.sma2 = self.I(talib.SMA, close, self.n2)

    def next(self):
        if crossover(self.sma1, self.sma2):
            self.position.close()
            self.buy()
        elif crossover(self.sma2, self.sma1):
            self.position.close()
            self.sell()


@pytest.fixture(scope="module")
def w3(tradelab, tmp_path_factory):
    path = tmp_path_factory.mktemp("w3") / "bars.csv"
    tradelab("bench", "--json", "--bars", 100_000, "--data-out", path)
    return path


def test_every_w3_trial_equals_backtesting_py_optimize_heatmap(tradelab, w3):
    ours = tradelab.json("optimize", "--data", w3, "--strategy", "sma-cross", "--param-range", "fast=5:50:5",
                         "--param-range", "slow=20:200:20", "--objective", "finalEquity",
                         "--preset", "backtesting.py", "--cash", CASH, "--commission", 0.002)
    assert ours["method"] == "grid" and ours["guards"]["trials"] == 100 and len(ours["trials"]) == 100

    df = pd.read_csv(w3)
    df.index = pd.to_datetime(df["time"], unit="ms")
    frame = df.rename(columns=str.capitalize)[["Open", "High", "Low", "Close", "Volume"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, heatmap = Backtest(frame, SmaCross, cash=CASH, commission=0.002).optimize(
            n1=range(5, 51, 5), n2=range(20, 201, 20), maximize="Equity Final [$]", return_heatmap=True)
    assert len(heatmap) == 100
    by_params = {(t["params"]["fast"], t["params"]["slow"]): t for t in ours["trials"]}
    traded = 0
    for (n1, n2), equity in heatmap.items():
        trial = by_params[(n1, n2)]
        if math.isnan(equity):   # backtesting.py leaves a combination that never trades (equal periods) empty
            assert trial["closedTrades"] == 0 and trial["finalEquity"] == CASH, (n1, n2)
            continue
        traded += 1
        assert trial["finalEquity"] == pytest.approx(equity, rel=1e-9, abs=1e-6), (n1, n2)
        assert trial["closedTrades"] > 0
    assert traded >= 90
    # The best: ours is the highest final equity of all trials; among those that traded it is
    # backtesting.py's.
    assert ours["best"]["objective"] == max(t["finalEquity"] for t in ours["trials"])
    traded_best = max((t for t in ours["trials"] if t["closedTrades"] > 0), key=lambda t: t["finalEquity"])
    n1, n2 = heatmap.dropna().idxmax()
    assert (traded_best["params"]["fast"], traded_best["params"]["slow"]) == (n1, n2)


def test_a_trial_equals_tradelab_backtest_with_its_parameters(tradelab, w3):
    ours = tradelab.json("optimize", "--data", w3, "--strategy", "sma-cross", "--param-range", "fast=7,13",
                         "--param-range", "slow=40", "--objective", "sharpe", "--commission", 0.001)
    for t in ours["trials"]:
        single = tradelab.json("backtest", "--data", w3, "--strategy", "sma-cross", "--param", f"fast={t['params']['fast']:g}",
                               "--param", f"slow={t['params']['slow']:g}", "--commission", 0.001)
        assert t["metrics"] == single["metrics"] and t["objective"] == single["metrics"]["sharpeRatio"]
        assert t["closedTrades"] == single["closedTrades"]
