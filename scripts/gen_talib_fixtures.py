#!/usr/bin/env python3
"""Generate the indicator reference fixtures in Tests/TradelabCoreTests/Fixtures/talib/.

For each synthetic OHLCV dataset this writes

    <dataset>.bars.csv      ts,open,high,low,close,volume  (the input bars)
    <dataset>.specs         one IndicatorSpec per line (the Swift test parses them)
    <dataset>.expected.csv  ts, then one column per indicator output, named exactly as
                            IndicatorSpec.outputNames names it

Values are written with Python's repr (shortest round-trip form), NaN as "nan".

References: the TA-Lib C library through the PyPI `ta-lib` package (compatibility
"default", unstable period 0) for every indicator TA-Lib has; independent numpy/pandas
computations for the ones it has not (HMA, VWAP, Donchian, Keltner), cross-checked against
TA-Lib where TA-Lib has a building block (HMA, MAX/MIN, EMA and ATR).

Usage (the venv lives outside the repository):

    python3 -m venv /tmp/venv-ind && /tmp/venv-ind/bin/pip install ta-lib numpy pandas
    /tmp/venv-ind/bin/python scripts/gen_talib_fixtures.py

The script is deterministic: fixed seeds, no clock, no network. Rerunning it rewrites
identical files (for the same TA-Lib, numpy and pandas versions).
"""

from __future__ import annotations

import math
import pathlib
import sys

import numpy as np
import pandas as pd
import talib

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/TradelabCoreTests/Fixtures/talib"

MINUTE_MS = 60_000
DAY_MS = 86_400_000
# 2024-03-01 00:00:00 UTC
BASE_MS = 1_709_251_200_000


# --------------------------------------------------------------------------------------
# Datasets
# --------------------------------------------------------------------------------------

def _bars_from_closes(rng, close, tick, vol_scale, spread):
    """OHLC around a close path: open = previous close (occasionally gapped), wicks >= 0."""
    n = len(close)
    open_ = np.empty(n)
    open_[0] = close[0]
    open_[1:] = close[:-1]
    gaps = rng.random(n) < 0.03
    open_[gaps] *= 1 + rng.normal(0, 0.002, gaps.sum())
    up = np.abs(rng.normal(0, spread, n))
    dn = np.abs(rng.normal(0, spread, n))
    high = np.maximum(open_, close) * (1 + up)
    low = np.minimum(open_, close) * (1 - dn)
    if tick:
        open_, high, low, close = (np.round(a / tick) * tick for a in (open_, high, low, close))
        # Rounding can break the ordering by one tick; restore low <= open, close <= high.
        high = np.maximum(high, np.maximum(open_, close))
        low = np.minimum(low, np.minimum(open_, close))
    volume = np.round(rng.lognormal(np.log(vol_scale), 0.8, n), 3)
    volume[rng.random(n) < 0.02] = 0.0
    return open_, high, low, close, volume


def _timestamps(n, start_ms, step_ms, gap_at=None, gap_ms=0):
    ts = start_ms + np.arange(n, dtype=np.int64) * step_ms
    if gap_at is not None:
        ts[gap_at:] += gap_ms
    return ts


def dataset_rw100():
    """A ~100-priced random walk, 5-minute bars from 21:35 UTC (first day partial), cent ticks."""
    rng = np.random.default_rng(20240301)
    n = 1100
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.002, n)))
    o, h, l, c, v = _bars_from_closes(rng, close, 0.01, 1500.0, 0.0015)
    ts = _timestamps(n, BASE_MS + (21 * 60 + 35) * MINUTE_MS, 5 * MINUTE_MS, gap_at=700, gap_ms=2 * DAY_MS)
    return ts, o, h, l, c, v


def dataset_low():
    """A ~0.0005-priced series (tick 1e-9) with flat runs: TA-Lib's old 1e-8 zero tests lived here."""
    rng = np.random.default_rng(5)
    n = 800
    close = 0.0005 * np.exp(np.cumsum(rng.normal(0, 0.003, n)))
    o, h, l, c, v = _bars_from_closes(rng, close, 1e-9, 2.0e7, 0.002)
    # Two flat stretches: constant price, zero range, zero volume.
    for a, b in ((150, 330), (600, 640)):
        p = c[a - 1]
        o[a:b] = h[a:b] = l[a:b] = c[a:b] = p
        v[a:b] = 0.0
    ts = _timestamps(n, BASE_MS + 23 * 60 * MINUTE_MS, MINUTE_MS)  # 1m bars across midnight
    return ts, o, h, l, c, v


def dataset_high():
    """A ~60000-priced series, 15-minute bars, cent ticks (not binary fractions, so a sum of
    squares cancels inexactly), one flat stretch."""
    rng = np.random.default_rng(60000)
    n = 800
    close = 60000 * np.exp(np.cumsum(rng.normal(0, 0.004, n)))
    o, h, l, c, v = _bars_from_closes(rng, close, 0.01, 3.0, 0.002)
    a, b = 400, 470
    p = c[a - 1]
    o[a:b] = h[a:b] = l[a:b] = c[a:b] = p
    v[a:b] = 0.0
    ts = _timestamps(n, BASE_MS + 6 * 60 * MINUTE_MS, 15 * MINUTE_MS)
    return ts, o, h, l, c, v


def dataset_flat():
    """Long flat stretches, including at the very start, at ~20; zero-volume sessions."""
    rng = np.random.default_rng(7)
    n = 1000
    close = 20 * np.exp(np.cumsum(rng.normal(0, 0.003, n)))
    o, h, l, c, v = _bars_from_closes(rng, close, 0.01, 800.0, 0.001)
    for a, b in ((0, 60), (250, 420), (700, 705), (800, 1000 - 40)):
        p = c[a - 1] if a > 0 else 20.0
        o[a:b] = h[a:b] = l[a:b] = c[a:b] = p
        v[a:b] = 0.0
    # A day whose first bars have zero volume while prices move (VWAP's zero-volume rule).
    v[288:300] = 0.0
    ts = _timestamps(n, BASE_MS, 5 * MINUTE_MS)
    return ts, o, h, l, c, v


def dataset_short():
    """25 bars: every period here exceeds the data, so every output is NaN."""
    rng = np.random.default_rng(25)
    n = 25
    close = 50 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    o, h, l, c, v = _bars_from_closes(rng, close, 0.01, 100.0, 0.002)
    ts = _timestamps(n, BASE_MS, MINUTE_MS)
    return ts, o, h, l, c, v


FULL_SPECS = [
    "sma:1", "sma:20", "sma:50", "sma:20@high",
    "ema:1", "ema:10", "ema:50", "ema:10@hl2",
    "wma:1", "wma:9", "wma:30",
    "hma:1", "hma:2", "hma:9", "hma:20",
    "rsi:2", "rsi:14", "rsi:14@hlc3",
    "macd", "macd:5,35,1", "macd:8,8,3",
    "bbands:20,2", "bbands:5,1.5", "bbands:2,1",
    "atr:1", "atr:14",
    "stoch:14,3,3", "stoch:5,1,1", "stoch:1,2,1",
    "adx:2", "adx:14",
    "cci:2", "cci:20",
    "roc:1", "roc:10", "roc:5@ohlc4",
    "obv", "vwap",
    "donchian:1", "donchian:20",
    "keltner:20,2", "keltner:1,1", "keltner:10,1.5",
]

EDGE_SPECS = [
    "sma:20", "ema:10", "wma:9", "hma:9",
    "rsi:2", "rsi:14",
    "macd",
    "bbands:20,2", "bbands:5,1.5",
    "atr:14",
    "stoch:14,3,3", "stoch:5,1,1",
    "adx:3", "adx:14",
    "cci:5", "cci:20",
    "roc:10",
    "obv", "vwap",
    "donchian:20",
    "keltner:20,2",
]

SHORT_SPECS = [
    "sma:26", "ema:26", "wma:26", "hma:25", "rsi:25", "macd", "bbands:26,2", "atr:25",
    "stoch:20,3,3", "adx:13", "cci:26", "roc:25", "donchian:26", "keltner:25,2",
]

DATASETS = [
    ("rw100", dataset_rw100, FULL_SPECS),
    ("low", dataset_low, EDGE_SPECS),
    ("high", dataset_high, EDGE_SPECS),
    ("flat", dataset_flat, EDGE_SPECS),
    ("short", dataset_short, SHORT_SPECS),
]


# --------------------------------------------------------------------------------------
# Spec parsing and naming (mirrors IndicatorSpec; kept deliberately small)
# --------------------------------------------------------------------------------------

DEFAULTS = {
    "sma": [20], "ema": [20], "wma": [20], "hma": [20], "rsi": [14], "macd": [12, 26, 9],
    "bbands": [20, 2], "atr": [14], "stoch": [14, 3, 3], "adx": [14], "cci": [20], "roc": [10],
    "obv": [], "vwap": [], "donchian": [20], "keltner": [20, 2],
}
OUTPUTS = {
    "macd": ["macd", "macd_signal", "macd_hist"],
    "bbands": ["bb_upper", "bb_middle", "bb_lower"],
    "stoch": ["stoch_k", "stoch_d"],
    "donchian": ["dc_upper", "dc_middle", "dc_lower"],
    "keltner": ["kc_upper", "kc_middle", "kc_lower"],
}


def fmt_param(x):
    if float(x) == int(x):
        return str(int(x))
    return repr(float(x)).replace(".", "p")


def parse(spec):
    source = "close"
    if "@" in spec:
        spec, source = spec.split("@")
    name, _, params = spec.partition(":")
    values = [float(p) for p in params.split(",")] if params else []
    values += DEFAULTS[name][len(values):]
    suffix = "".join("_" + fmt_param(p) for p in values)
    if source != "close":
        suffix += "_" + source
    names = [base + suffix for base in OUTPUTS.get(name, [name])]
    return name, values, source, names


# --------------------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------------------

def wma_np(x, n):
    """Linearly weighted moving average, weights 1..n (newest heaviest); NaN-propagating."""
    out = np.full(len(x), np.nan)
    w = np.arange(1, n + 1, dtype=float)
    for i in range(n - 1, len(x)):
        out[i] = np.dot(x[i - n + 1:i + 1], w) / w.sum()
    return out


def hma_np(x, n):
    """HMA(n) = WMA(2*WMA(x, n//2) - WMA(x, n), floor(sqrt(n))); HMA(1) = x."""
    if n == 1:
        return x.copy()
    half, root = n // 2, math.isqrt(n)
    diff = 2 * wma_np(x, half) - wma_np(x, n)
    out = np.full(len(x), np.nan)
    start = n - 1
    if start < len(x):
        out[start:] = wma_np(diff[start:], root)
    return out


def vwap_pd(ts, h, l, c, v):
    """Session VWAP anchored at 00:00 UTC; typical price (h+l+c)/3; tp itself while the
    session's cumulative volume is still 0."""
    tp = (h + l + c) / 3
    day = pd.Series(ts // DAY_MS)
    cum_pv = pd.Series(tp * v).groupby(day).cumsum().to_numpy()
    cum_v = pd.Series(v).groupby(day).cumsum().to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(cum_v > 0, cum_pv / np.where(cum_v > 0, cum_v, 1), tp)
    return out


def rolling_pd(x, n, how):
    r = pd.Series(x).rolling(n, min_periods=n)
    return (r.max() if how == "max" else r.min()).to_numpy()


def source_values(bars, source):
    o, h, l, c, v = bars["open"], bars["high"], bars["low"], bars["close"], bars["volume"]
    return {
        "open": o, "high": h, "low": l, "close": c, "volume": v,
        "hl2": (h + l) / 2, "hlc3": (h + l + c) / 3, "ohlc4": (o + h + l + c) / 4,
    }[source]


def assert_close(name, a, b, tol=1e-9):
    """The cross-checks between independent computations: same NaNs, close values."""
    a, b = np.asarray(a), np.asarray(b)
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        sys.exit(f"cross-check {name}: NaN positions differ")
    m = ~np.isnan(a)
    scale = np.maximum(np.abs(b[m]), 1e-3 * np.max(np.abs(b[m]), initial=0.0))
    bad = np.abs(a[m] - b[m]) > tol * np.where(scale > 0, scale, 1)
    if bad.any():
        sys.exit(f"cross-check {name}: {bad.sum()} values differ, max diff {np.max(np.abs(a[m]-b[m]))}")


def reference(bars, spec):
    name, p, source, names = parse(spec)
    h, l, c, v, ts = bars["high"], bars["low"], bars["close"], bars["volume"], bars["ts"]
    x = source_values(bars, source)
    n = len(c)
    ip = [int(q) for q in p]
    if name == "sma":
        cols = [talib.SMA(x, ip[0])]
    elif name == "ema":
        cols = [talib.EMA(x, ip[0])]
    elif name == "wma":
        cols = [talib.WMA(x, ip[0])]
    elif name == "hma":
        ours = hma_np(x, ip[0])
        assert_close(f"{spec} vs talib.HMA", ours, talib.HMA(x, ip[0]))
        cols = [ours]
    elif name == "rsi":
        cols = [talib.RSI(x, ip[0])]
    elif name == "macd":
        cols = list(talib.MACD(x, ip[0], ip[1], ip[2]))
    elif name == "bbands":
        cols = list(talib.BBANDS(x, ip[0], p[1], p[1], 0))
    elif name == "atr":
        cols = [talib.ATR(h, l, c, ip[0])]
    elif name == "stoch":
        cols = list(talib.STOCH(h, l, c, ip[0], ip[1], 0, ip[2], 0))
    elif name == "adx":
        cols = [talib.ADX(h, l, c, ip[0])]
    elif name == "cci":
        cols = [talib.CCI(h, l, c, ip[0])]
    elif name == "roc":
        cols = [talib.ROC(x, ip[0])]
    elif name == "obv":
        cols = [talib.OBV(c, v)]
    elif name == "vwap":
        cols = [vwap_pd(ts, h, l, c, v)]
    elif name == "donchian":
        k = ip[0]
        upper, lower = rolling_pd(h, k, "max"), rolling_pd(l, k, "min")
        if k >= 2:  # TA-Lib MAX/MIN need a period of at least 2
            assert_close(f"{spec} upper vs talib.MAX", upper, talib.MAX(h, k))
            assert_close(f"{spec} lower vs talib.MIN", lower, talib.MIN(l, k))
        cols = [upper, (upper + lower) / 2, lower]
    elif name == "keltner":
        k, mult = ip[0], p[1]
        mid, atr = talib.EMA(c, k), talib.ATR(h, l, c, k)
        mid = np.where(np.isnan(atr), np.nan, mid)  # all three bands start with the ATR
        cols = [mid + mult * atr, mid, mid - mult * atr]
    else:
        raise ValueError(spec)
    assert len(cols) == len(names) and all(len(col) == n for col in cols)
    return names, cols


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------

def fmt(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    r = repr(x)
    return r[:-2] if r.endswith(".0") else r


def write_csv(path, header, columns, ts):
    with open(path, "w", newline="\n") as f:
        f.write(",".join(["ts", *header]) + "\n")
        for i in range(len(ts)):
            f.write(",".join([str(int(ts[i]))] + [fmt(col[i]) for col in columns]) + "\n")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*"):
        if old.suffix in (".csv", ".specs"):
            old.unlink()
    talib.set_compatibility(0)
    for key in ("EMA", "RSI", "ATR", "ADX"):
        talib.set_unstable_period(key, 0)
    for name, make, specs in DATASETS:
        ts, o, h, l, c, v = make()
        bars = {"ts": ts, "open": o, "high": h, "low": l, "close": c, "volume": v}
        assert np.all(np.diff(ts) > 0) and np.all(l <= np.minimum(o, c)) and np.all(h >= np.maximum(o, c))
        write_csv(OUT / f"{name}.bars.csv", ["open", "high", "low", "close", "volume"], [o, h, l, c, v], ts)
        header, columns = [], []
        for spec in specs:
            names, cols = reference(bars, spec)
            header += names
            columns += cols
        assert len(set(header)) == len(header), "duplicate output column"
        write_csv(OUT / f"{name}.expected.csv", header, columns, ts)
        (OUT / f"{name}.specs").write_text("".join(s + "\n" for s in specs))
        print(f"{name}: {len(ts)} bars, {len(specs)} specs, {len(header)} columns")
    total = sum(p.stat().st_size for p in OUT.glob("*"))
    print(f"talib {talib.__version__} (C {talib.__ta_version__.decode()}), numpy {np.__version__}, "
          f"pandas {pd.__version__}; fixtures {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
