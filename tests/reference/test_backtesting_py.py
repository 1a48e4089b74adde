"""Fills and statistics against backtesting.py 0.6.6, run live in the same process.

The reference is backtesting.py's README strategy (SmaCross) with its own conventions; Tradelab
runs the same thing with `--preset backtesting.py` and must agree trade for trade (entry and exit
bars, sizes, prices, P&L) and on the final equity to the cent, on GOOG and on other data sets.
"""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import backtesting
from backtesting import Backtest, Strategy
from backtesting.lib import crossover
from backtesting.test import SMA

GOOG_CSV = Path(backtesting.__file__).parent / "test" / "GOOG.csv"


def reference_run(df: pd.DataFrame, fast: int, slow: int, cash: float, commission: float):
    class SmaCross(Strategy):
        n1 = fast
        n2 = slow

        def init(self):
            self.sma1 = self.I(SMA, self.data.Close, self.n1)
            self.sma2 = self.I(SMA, self.data.Close, self.n2)

        def next(self):
            if crossover(self.sma1, self.sma2):
                self.position.close()
                self.buy()
            elif crossover(self.sma2, self.sma1):
                self.position.close()
                self.sell()

    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stats = Backtest(df, SmaCross, cash=cash, commission=commission).run()
    return stats


def random_walk_csv(tmp_path: Path, seed: int, n: int = 1500, start: float = 50.0) -> Path:
    """Daily bars of a seeded random walk with realistic OHLC, written the way pandas writes them."""
    rng = np.random.default_rng(seed)
    close = start * np.exp(np.cumsum(rng.normal(0.0003, 0.02, n)))
    open_ = np.r_[start, close[:-1]] * np.exp(rng.normal(0, 0.003, n))
    high = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0, 0.01, n)))
    low = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0, 0.01, n)))
    index = pd.date_range("2015-01-01", periods=n, freq="D")
    df = pd.DataFrame({"Open": open_.round(4), "High": high.round(4), "Low": low.round(4), "Close": close.round(4),
                       "Volume": rng.integers(1_000, 1_000_000, n)}, index=index)
    df["High"] = df[["Open", "High", "Close"]].max(axis=1)
    df["Low"] = df[["Open", "Low", "Close"]].min(axis=1)
    path = tmp_path / f"walk-{seed}.csv"
    df.to_csv(path)
    return path


CASES = [
    ("goog-10-20", None, 10, 20, 10_000, 0.002),
    ("goog-5-30", None, 5, 30, 25_000, 0.001),
    ("goog-no-fee", None, 8, 21, 10_000, 0.0),
    ("walk-1", 1, 10, 20, 10_000, 0.002),
    ("walk-2", 2, 3, 12, 100_000, 0.0005),
    ("walk-3", 3, 20, 50, 5_000, 0.003),
]


LUA_SMA_CROSS = Path(__file__).resolve().parents[2] / "strategies" / "examples" / "sma_cross.lua"


@pytest.mark.parametrize("strategy", ["sma-cross", str(LUA_SMA_CROSS)], ids=["native", "lua"])
@pytest.mark.parametrize("name,seed,fast,slow,cash,commission", CASES, ids=[c[0] for c in CASES])
def test_sma_cross_matches_backtesting_py_trade_for_trade(tradelab, tmp_path, name, seed, fast, slow, cash, commission, strategy):
    path = GOOG_CSV if seed is None else random_walk_csv(tmp_path, seed)
    df = pd.read_csv(path, index_col=0, parse_dates=True)
    stats = reference_run(df, fast, slow, cash, commission)
    ours = tradelab.json("backtest", "--data", path, "--strategy", strategy, "--param", f"fast={fast}",
                         "--param", f"slow={slow}", "--preset", "backtesting.py", "--cash", cash, "--commission", commission)

    ref = stats._trades
    closed = [t for t in ours["trades"] if t["exitReason"] != "open"]
    still_open = [t for t in ours["trades"] if t["exitReason"] == "open"]
    assert len(closed) == len(ref) > 0
    for ours_t, (_, r) in zip(closed, ref.iterrows()):
        assert ours_t["entryIndex"] == r.EntryBar
        assert ours_t["exitIndex"] == r.ExitBar
        assert ours_t["quantity"] == abs(r.Size)
        assert ours_t["side"] == ("long" if r.Size > 0 else "short")
        assert ours_t["entryPrice"] == pytest.approx(r.EntryPrice, rel=1e-12)
        assert ours_t["exitPrice"] == pytest.approx(r.ExitPrice, rel=1e-12)
        assert ours_t["pnl"] == pytest.approx(r.PnL, rel=1e-9, abs=1e-6)
        assert ours_t["pnlPercent"] == pytest.approx(r.ReturnPct, rel=1e-9, abs=1e-12)

    ref_open = stats._strategy.trades
    assert len(still_open) == len(ref_open)
    for ours_t, r in zip(still_open, ref_open):
        assert ours_t["entryIndex"] == r.entry_bar and ours_t["quantity"] == abs(r.size)
        assert ours_t["entryPrice"] == pytest.approx(r.entry_price, rel=1e-12)

    m = ours["metrics"]
    assert round(m["finalEquity"], 2) == round(stats["Equity Final [$]"], 2)
    assert m["totalReturn"] * 100 == pytest.approx(stats["Return [%]"], rel=1e-9)
    assert m["maxDrawdown"] * 100 == pytest.approx(stats["Max. Drawdown [%]"], rel=1e-9)
    assert m["tradeCount"] == stats["# Trades"]
    assert m["winRate"] * 100 == pytest.approx(stats["Win Rate [%]"], rel=1e-12)
    assert m["peakEquity"] == pytest.approx(stats["Equity Peak [$]"], rel=1e-12)
    assert m["sqn"] == pytest.approx(stats["SQN"], rel=1e-9)
    assert m["bestTradeReturn"] * 100 == pytest.approx(stats["Best Trade [%]"], rel=1e-9)
    assert m["worstTradeReturn"] * 100 == pytest.approx(stats["Worst Trade [%]"], rel=1e-9)
    assert m["cagr"] * 100 == pytest.approx(stats["CAGR [%]"], rel=1e-9)
    closed_fees = sum(t["fees"] for t in closed)
    assert closed_fees == pytest.approx(stats.get("Commissions [$]", 0.0), rel=1e-9, abs=1e-9)


def test_goog_reference_numbers_from_the_issue(tradelab):
    """The published reference run: 93 closed trades, one open long of 69 at 702.24, 56,263.52."""
    ours = tradelab.json("backtest", "--data", GOOG_CSV, "--strategy", "sma-cross", "--preset", "backtesting.py",
                         "--cash", 10000, "--commission", 0.002)
    assert ours["closedTrades"] == 93 and ours["openTrades"] == 1
    last = ours["trades"][-1]
    assert (last["side"], last["quantity"], last["entryPrice"]) == ("long", 69, 702.24)
    assert round(ours["metrics"]["finalEquity"], 2) == 56263.52
