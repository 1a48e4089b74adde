"""`tradelab indicators` against TA-Lib (the C library in the PyPI wheel), on data made fresh here.

The Swift tests compare with committed fixtures; this checks the shipped CLI on other series
(other seeds, price scales, flat stretches, gaps) with TA-Lib computed in the same run.
"""
import numpy as np
import pandas as pd
import pytest
import talib

# spec -> (column names, function computing the reference columns from a DataFrame)
CASES = {
    "sma:7": (["sma_7"], lambda d: [talib.SMA(d.close, 7)]),
    "ema:21": (["ema_21"], lambda d: [talib.EMA(d.close, 21)]),
    "wma:9": (["wma_9"], lambda d: [talib.WMA(d.close, 9)]),
    "rsi:14": (["rsi_14"], lambda d: [talib.RSI(d.close, 14)]),
    "roc:5": (["roc_5"], lambda d: [talib.ROC(d.close, 5)]),
    "macd:12,26,9": (["macd_12_26_9", "macd_signal_12_26_9", "macd_hist_12_26_9"],
                     lambda d: list(talib.MACD(d.close, 12, 26, 9))),
    "macd:5,35,5": (["macd_5_35_5", "macd_signal_5_35_5", "macd_hist_5_35_5"], lambda d: list(talib.MACD(d.close, 5, 35, 5))),
    "bbands:20,2": (["bb_upper_20_2", "bb_middle_20_2", "bb_lower_20_2"],
                    lambda d: list(talib.BBANDS(d.close, 20, 2, 2, 0))),
    "atr:14": (["atr_14"], lambda d: [talib.ATR(d.high, d.low, d.close, 14)]),
    "adx:14": (["adx_14"], lambda d: [talib.ADX(d.high, d.low, d.close, 14)]),
    "cci:20": (["cci_20"], lambda d: [talib.CCI(d.high, d.low, d.close, 20)]),
    "stoch:14,3,3": (["stoch_k_14_3_3", "stoch_d_14_3_3"],
                     lambda d: list(talib.STOCH(d.high, d.low, d.close, 14, 3, 0, 3, 0))),
    "obv": (["obv"], lambda d: [talib.OBV(d.close, d.volume)]),
}


def dataset(seed: int, scale: float, n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    close = scale * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    close[n // 3: n // 3 + 60] = close[n // 3]                 # a flat stretch
    open_ = np.r_[close[0], close[:-1]]
    open_[n // 2] *= 1.05                                        # a gap
    high = np.maximum(open_, close) * (1 + np.abs(rng.normal(0, 0.004, n)))
    low = np.minimum(open_, close) * (1 - np.abs(rng.normal(0, 0.004, n)))
    flat = slice(n // 3, n // 3 + 60)
    open_[flat] = high[flat] = low[flat] = close[n // 3]
    volume = rng.integers(0, 5000, n).astype(float)
    time = 1_700_000_000_000 + np.arange(n) * 300_000
    return pd.DataFrame({"time": time, "open": open_, "high": high, "low": low, "close": close, "volume": volume})


def close_enough(ours: np.ndarray, ref: np.ndarray) -> np.ndarray:
    scale = 1e-3 * np.nanmax(np.abs(ref))
    return np.abs(ours - ref) <= 1e-9 * np.maximum(np.abs(ref), scale)


@pytest.mark.parametrize("seed,scale", [(101, 100.0), (202, 0.00042), (303, 64_000.0)])
def test_cli_indicators_equal_talib(tradelab, tmp_path, seed, scale):
    data = dataset(seed, scale)
    src = tmp_path / "bars.csv"
    data.to_csv(src, index=False, float_format="%.17g")
    out = tmp_path / "out.csv"
    args = ["indicators", "--data", src, "--out", out]
    for spec in CASES:
        args += ["--indicator", spec]
    tradelab(*args)
    ours = pd.read_csv(out)
    assert len(ours) == len(data)
    for spec, (columns, reference) in CASES.items():
        for column, ref in zip(columns, reference(data)):
            got = ours[column].to_numpy(dtype=float)
            ref = np.asarray(ref, dtype=float)
            assert np.array_equal(np.isnan(got), np.isnan(ref)), f"{spec} {column}: warm-up differs"
            ok = close_enough(got[~np.isnan(ref)], ref[~np.isnan(ref)])
            assert ok.all(), f"{spec} {column}: {np.count_nonzero(~ok)} values differ, first at {np.argmin(ok)}"
