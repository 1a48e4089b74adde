"""Independent computations the live tests compare the server with: bars resampled with pandas,
the sma-cross strategy simulated in plain Python, drawdowns from an equity curve."""
import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd


def load_bars(data_dir: Path, symbol: str, timeframe: str) -> pd.DataFrame:
    """The symbol's 1m sample bars resampled to `timeframe` (first open, max high, min low, last
    close, summed volume; bars labelled by their start)."""
    frame = pd.read_csv(data_dir / f"{symbol}_1m.csv", parse_dates=["time"]).set_index("time")
    rule = {"1m": "1min", "5m": "5min", "15m": "15min", "1h": "1h", "4h": "4h", "1d": "1D"}[timeframe]
    bars = frame.resample(rule, label="left", closed="left").agg(
        {"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"}).dropna()
    return bars


def simulate_sma_cross(bars: pd.DataFrame, fast: int, slow: int, cash: float = 10_000.0) -> dict:
    """sma-cross on a long-only, all-in, fractional, fee-free account: a strict cross up (fast below
    slow, then above) buys at the next bar's open, a strict cross down sells there; a trade still
    open at the end stays open. Returns the trades (entry/exit index and price, quantity, pnl)
    and the equity at every bar's close."""
    close = bars["close"].to_numpy()
    opens = bars["open"].to_numpy()
    f = pd.Series(close).rolling(fast).mean().to_numpy()
    s = pd.Series(close).rolling(slow).mean().to_numpy()
    signal = [None] * len(close)
    for i in range(1, len(close)):
        if np.isnan(f[i - 1]) or np.isnan(s[i - 1]):
            continue
        if f[i - 1] < s[i - 1] and f[i] > s[i]:
            signal[i] = "buy"
        elif f[i - 1] > s[i - 1] and f[i] < s[i]:
            signal[i] = "sell"
    trades, equity = [], []
    quantity, pending, entry = 0.0, None, None
    for i in range(len(close)):
        if pending == "buy" and quantity == 0:
            quantity = cash / opens[i]
            cash = 0.0
            entry = (i, opens[i])
        elif pending == "sell" and quantity > 0:
            cash = quantity * opens[i]
            trades.append({"entryIndex": entry[0], "entryPrice": entry[1], "exitIndex": i, "exitPrice": opens[i],
                           "quantity": quantity, "pnl": quantity * (opens[i] - entry[1])})
            quantity = 0.0
        pending = signal[i]
        equity.append(cash + quantity * close[i])
    open_trade = None
    if quantity > 0:
        open_trade = {"entryIndex": entry[0], "entryPrice": entry[1], "quantity": quantity}
    return {"trades": trades, "open": open_trade, "equity": equity}


def drawdowns(equity: list[float]) -> list[float]:
    """Drawdown from the running peak at every point (a fraction, <= 0)."""
    peak = np.maximum.accumulate(np.asarray(equity, dtype=float))
    return list(np.asarray(equity) / peak - 1)


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode())))
