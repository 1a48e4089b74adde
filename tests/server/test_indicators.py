"""Indicators over the API: the ones a run's strategy declared (`Results.indicators`), and the
candles endpoints computing them natively beside the bars, checked against TA-Lib, across a
window cut and a downsampled overview."""
import math

import numpy as np
import pytest
import talib

BTC_15M = {"symbol": "BTCUSDT", "timeframe": "15m"}

# ta.ema(10), ta.ema(30), ta.rsi(14) and ta.macd() in on_init: what the report must draw by default.
SCRIPT = """-- @name Declares four indicators
local fast, slow, rsi, macd
function on_init(ctx)
  fast = ta.ema(10)
  slow = ta.ema(30)
  rsi = ta.rsi(14)
  macd = ta.macd(12, 26, 9)
  fast = ta.ema(10)   -- declared twice, listed once
end
function on_bar(ctx, bar)
  if slow.value == nil or rsi.value == nil then return end
  if ta.crossover(fast, slow) and rsi.value < 70 then return "buy" end
  if ta.crossunder(fast, slow) then return "sell" end
end
"""


def values(indicator, k=0):
    return np.array([np.nan if v is None else v for v in indicator["values"][k]])


def same(a, b):
    """Equal as TA-Lib's output, NaN where it has none."""
    assert a.shape == b.shape, (a.shape, b.shape)
    assert np.array_equal(np.isnan(a), np.isnan(b)), (np.flatnonzero(np.isnan(a) != np.isnan(b))[:5])
    assert np.allclose(a[~np.isnan(a)], b[~np.isnan(b)], rtol=1e-9, atol=1e-9)


def test_results_name_the_indicators_the_strategy_declared(server):
    lua = server.wait(server.submit({"code": SCRIPT, "data": BTC_15M}))
    assert lua["status"] == "completed", lua
    assert server.results(lua["id"])["indicators"] == ["ema:10", "ema:30", "rsi:14", "macd:12,26,9"]
    builtin = server.wait(server.submit({"strategy": "sma-cross", "params": {"fast": 7, "slow": 40}, "data": BTC_15M}))
    assert server.results(builtin["id"])["indicators"] == ["sma:7", "sma:40"]
    rsi = server.wait(server.submit({"strategy": "templates/rsi_mean_reversion", "params": {"period": 9}, "data": BTC_15M}))
    assert server.results(rsi["id"])["indicators"] == ["rsi:9"], "the RSI template's report draws its RSI, with its parameter"



def test_candles_carry_native_indicators_equal_to_talib_whole_windowed_and_merged(server):
    sid = server.wait(server.submit({"strategy": "sma-cross", "data": BTC_15M}))["id"]
    specs = "rsi:14;macd:12,26,9;bbands:20,2;stoch:14,3,3;adx:14;cci:20;ema:10"
    whole = server.ok("GET", f"/api/backtest/{sid}/candles?indicators={specs}")
    close, high, low = (np.array(whole[k], dtype=float) for k in ("close", "high", "low"))
    by = {i["spec"]: i for i in whole["indicators"]}
    assert list(by) == ["rsi:14", "macd:12,26,9", "bbands:20,2", "stoch:14,3,3", "adx:14", "cci:20", "ema:10"]
    assert {s: i["pane"] for s, i in by.items()} == {"rsi:14": "pane", "macd:12,26,9": "pane", "bbands:20,2": "price",
                                                      "stoch:14,3,3": "pane", "adx:14": "pane", "cci:20": "pane", "ema:10": "price"}
    assert by["macd:12,26,9"]["outputs"] == ["macd_12_26_9", "macd_signal_12_26_9", "macd_hist_12_26_9"]
    same(values(by["rsi:14"]), talib.RSI(close, 14))
    for k, want in enumerate(talib.MACD(close, 12, 26, 9)):
        same(values(by["macd:12,26,9"], k), want)
    for k, want in enumerate(talib.BBANDS(close, 20, 2, 2)):
        same(values(by["bbands:20,2"], k), want)
    for k, want in enumerate(talib.STOCH(high, low, close, 14, 3, 0, 3, 0)):
        same(values(by["stoch:14,3,3"], k), want)
    same(values(by["adx:14"]), talib.ADX(high, low, close, 14))
    same(values(by["cci:20"]), talib.CCI(high, low, close, 20))
    same(values(by["ema:10"]), talib.EMA(close, 10))

    # A window keeps the values of the whole series (warmed up from the first bar), start
    # inclusive, end exclusive.
    t = whole["time"]
    a, b = 300, 420
    window = server.ok("GET", f"/api/backtest/{sid}/candles?start={t[a]}&end={t[b]}&indicators=rsi:14;macd")
    assert window["time"] == t[a:b] and window["sourceCount"] == b - a and window["close"] == whole["close"][a:b]
    assert [i["spec"] for i in window["indicators"]] == ["rsi:14", "macd:12,26,9"]
    same(values(window["indicators"][0]), talib.RSI(close, 14)[a:b])
    same(values(window["indicators"][1], 2), talib.MACD(close, 12, 26, 9)[2][a:b])

    # Merged candles carry the value at their last bar, as their close.
    merged = server.ok("GET", f"/api/backtest/{sid}/candles?maxPoints=100&indicators=rsi:14")
    group = math.ceil(len(t) / 100)
    assert merged["downsampled"] and merged["count"] == math.ceil(len(t) / group)
    ends = [min(len(t), s + group) - 1 for s in range(0, len(t), group)]
    assert merged["close"] == [whole["close"][e] for e in ends]
    same(values(merged["indicators"][0]), talib.RSI(close, 14)[ends])

    plain = server.ok("GET", f"/api/backtest/{sid}/candles")
    assert "indicators" not in plain and plain["time"] == t


def test_history_candles_compute_indicators_over_the_range_asked_for(server):
    h = server.ok("GET", "/api/history/BTCUSDT?interval=1h&start=2024-01-02&end=2024-01-05&indicators=sma:5;obv")
    close = np.array(h["close"], dtype=float)
    assert h["count"] == 72
    same(values(h["indicators"][0]), talib.SMA(close, 5))
    same(values(h["indicators"][1]), talib.OBV(close, np.array(h["volume"], dtype=float)))


@pytest.mark.parametrize("query, words", [
    ("indicators=foo:3", "unknown indicator 'foo'"),
    ("indicators=rsi:1", "'rsi' parameter 'period'"),
    ("indicators=macd:30,10", "must not exceed"),
    ("indicators=" + ";".join(["sma:5"] * 17), "at most 16"),
    ("start=2024-01-05&end=2024-01-02", "before 'start'"),
    ("start=yesterday", "cannot read 'yesterday'"),
])
def test_bad_indicator_or_window_queries_are_refused_with_the_reason(server, query, words):
    sid = server.wait(server.submit({"strategy": "sma-cross", "data": BTC_15M}))["id"]
    response = server.get(f"/api/backtest/{sid}/candles?{query}")
    assert response.status == 400, response
    error = response.error()
    assert words in error["message"] and error["code"] == "invalid_value", error
