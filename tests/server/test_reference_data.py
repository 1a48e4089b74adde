"""Engine, symbols and history against the sample data, recomputed with pandas; query parameters
are checked."""
import shutil

import pandas as pd
import pytest

from .reference import load_bars


def test_history_matches_pandas_and_downsampling_merges_bars(server, sample_data):
    bars = load_bars(sample_data, "ETHUSDT", "1h")
    history = server.ok("GET", "/api/history/ETHUSDT?interval=1h")
    assert history["symbol"] == "ETHUSDT" and history["timeframe"] == "1h"
    assert history["count"] == len(bars) == 240 and history["downsampled"] is False
    assert history["time"] == [int(t.timestamp()) for t in bars.index]
    for column in ("open", "high", "low", "close", "volume"):
        assert history[column] == pytest.approx(list(bars[column]), rel=1e-12), column

    thin = server.ok("GET", "/api/history/ETHUSDT?interval=1h&maxPoints=50")
    assert thin["downsampled"] is True and 0 < thin["count"] == len(thin["time"]) <= 50
    # Each merged bar covers consecutive bars: first open, max high, min low, last close, summed volume.
    starts = [history["time"].index(t) for t in thin["time"]]
    ends = starts[1:] + [len(bars)]
    for k, (a, b) in enumerate(zip(starts, ends)):
        chunk = bars.iloc[a:b]
        assert thin["open"][k] == chunk["open"].iloc[0] and thin["close"][k] == chunk["close"].iloc[-1]
        assert thin["high"][k] == chunk["high"].max() and thin["low"][k] == chunk["low"].min()
        assert thin["volume"][k] == pytest.approx(chunk["volume"].sum(), rel=1e-12)

    ranged = server.ok("GET", "/api/history/ETHUSDT?interval=1h&start=2024-01-03&end=2024-01-04")
    assert ranged["count"] == 24 and ranged["time"][0] == int(bars.index[48].timestamp())
    bad = server.get("/api/history/ETHUSDT?interval=7m")
    assert bad.status == 400 and bad.error()["code"] == "invalid_value"


def test_engine_and_symbols(server, sample_data):
    engine = server.ok("GET", "/api/engine")
    assert engine["workers"]["max"] == engine["workers"]["idle"] >= 1 and engine["workers"]["busy"] == 0
    assert set(engine["runsByStatus"]) == {"idle", "queued", "running", "pausing", "paused", "stopping", "completed", "stopped", "failed"}
    assert engine["queueLength"] == 0 and engine["uptimeSeconds"] >= 0 and engine["version"]
    categories = server.ok("GET", "/api/symbols")["categories"]
    symbols = [s for c in categories for s in c["symbols"]]
    on_disk = sorted(p.name.split("_")[0] for p in sample_data.glob("*_1m.csv"))
    assert sorted(s["symbol"] for s in symbols) == on_disk and len(symbols) == 18
    assert all(s["available"] for s in symbols)
    assert {c["name"] for c in categories} == {"crypto", "stock", "forex"}
    btc = next(s for s in symbols if s["symbol"] == "BTCUSDT")
    assert btc["bars"] == 14400 and btc["timeframe"] == "1m" and btc["from"].startswith("2024-01-01")
    # The guide (as of 68bdbc2): symbols: [{symbol, available, timeframe, from, to, bars}].
    documented = {"symbol", "available", "timeframe", "from", "to", "bars"}
    assert all(documented <= set(s) for s in symbols), documented - set(symbols[0])


def test_the_users_own_datasets_are_listed_after_the_curated_ones_and_run(start_server, sample_data, tmp_path):
    from reference.test_backtesting_py import GOOG_CSV
    data = tmp_path / "data"
    data.mkdir()
    for name in ("BTCUSDT_1m.csv", "AAPL_1m.csv"):
        shutil.copy(sample_data / name, data / name)
    shutil.copy(GOOG_CSV, data / "GOOG.csv")
    server = start_server(data_dir=data)
    listing = server.ok("GET", "/api/symbols")
    goog = pd.read_csv(GOOG_CSV, index_col=0, parse_dates=True)
    assert listing["datasets"] == [
        {"symbol": "BTCUSDT", "timeframe": "1m", "from": "2024-01-01T00:00:00Z", "to": "2024-01-10T23:59:00Z", "bars": 14400,
         "source": ".", "file": "BTCUSDT_1m.csv", "curated": True},
        {"symbol": "AAPL", "timeframe": "1m", "from": listing["datasets"][1]["from"], "to": listing["datasets"][1]["to"],
         "bars": len(pd.read_csv(sample_data / "AAPL_1m.csv")), "source": ".", "file": "AAPL_1m.csv", "curated": True},
        {"symbol": "GOOG", "timeframe": "1d", "from": goog.index[0].strftime("%Y-%m-%dT%H:%M:%SZ"),
         "to": goog.index[-1].strftime("%Y-%m-%dT%H:%M:%SZ"), "bars": len(goog), "source": ".", "file": "GOOG.csv", "curated": False},
    ]
    sid, session = server.run({"strategy": "sma-cross", "data": {"symbol": "GOOG", "timeframe": "1d"}})
    assert session["status"] == "completed", session
    assert server.results(sid)["data"] == {"source": "GOOG (data)", "symbol": "GOOG", "timeframe": "1d", "bars": len(goog),
                                          "from": listing["datasets"][2]["from"], "to": listing["datasets"][2]["to"]}


def test_query_parameters_are_checked(server):
    sid, _ = server.run({"strategy": "sma-cross", "data": {"symbol": "BTCUSDT", "timeframe": "1h"}})
    for path in ["/api/backtest?status=bogus", "/api/backtest?limit=0", "/api/backtest?limit=abc",
                 f"/api/backtest/{sid}/results?maxPoints=-1", f"/api/backtest/{sid}/equity?maxPoints=1",
                 f"/api/backtest/{sid}/trades?limit=0", f"/api/backtest/{sid}/trades?offset=-2",
                 "/api/history/BTCUSDT?maxPoints=0"]:
        response = server.get(path)
        assert response.status == 400, (path, response)
        assert response.error()["code"] == "invalid_value"
    assert [s["id"] for s in server.ok("GET", "/api/backtest?status=completed&symbol=btcusdt&strategy=SMA")["sessions"]] == [sid]
    assert server.ok("GET", "/api/backtest?status=failed")["sessions"] == []


def test_the_openapi_document_describes_the_routes(server):
    response = server.get("/api/openapi.json")
    assert response.status == 200 and response.is_json
    document = response.json
    assert str(document.get("openapi", "")).startswith("3"), f"not an OpenAPI document: {response.body[:200]!r}"
    paths = document.get("paths", {})
    for path in ["/api/engine", "/api/symbols", "/api/strategies", "/api/templates", "/api/backtest/run",
                 "/api/backtest/create", "/api/backtest"]:
        assert path in paths, (path, sorted(paths))
