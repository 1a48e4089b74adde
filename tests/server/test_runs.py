"""Backtest runs over the live API: completion and its results, agreement with the CLI and with an
independent simulation, pause/resume, stop, delete, and a worker killed under the server."""
import json
import os
import signal
import time

import pytest

from .conftest import alive
from .reference import drawdowns, load_bars, read_csv, simulate_sma_cross

BTC_15M = {"symbol": "BTCUSDT", "timeframe": "15m"}


def lua_sma(timeframe: str, state_every: int, **extra) -> dict:
    """The Lua sma_cross example with a fee, so positions, fees and P&L all matter."""
    return {"strategy": "examples/sma_cross", "params": {"fast": 10, "slow": 30},
            "data": {"symbol": "BTCUSDT", "timeframe": timeframe}, "account": {"commission": 0.001},
            "stateEvery": state_every, "stateIntervalMs": 0, **extra}   # every state: slow enough to pause


def closed(trades: list[dict]) -> list[dict]:
    return [t for t in trades if t["exitReason"] != "open"]


def test_run_completes_with_results_consistent_with_artifacts_and_an_independent_simulation(server, sample_data):
    response = server.post("/api/backtest/run", {"strategy": "sma-cross", "data": BTC_15M, "stateEvery": 50})
    assert response.status == 202, response
    accepted = response.json
    assert accepted["id"].startswith("bt_") and accepted["status"] in ("queued", "running"), accepted
    session = server.wait(accepted["id"])
    sid = session["id"]
    assert session["status"] == "completed", session
    assert session["totalCandles"] == session["currentCandleIndex"] == 960 and session["progressPercent"] == 100
    assert session["startedAt"] and session["finishedAt"] and session.get("error") is None

    results = server.results(sid)
    assert results["id"] == sid and results["status"] == "completed"
    for key in ("metrics", "timings", "equity", "trades", "tradesTotal", "runs", "artifacts"):
        assert key in results, key
    equity, trades, metrics = results["equity"], results["trades"], results["metrics"]
    summary = session["summary"]   # the headline of the same results
    assert summary["metrics"] == metrics and summary["id"] == sid and "trades" not in summary and "equity" not in summary
    assert results["tradesTotal"] == len(trades)
    assert set(results["timings"]) == {"loadMs", "indicatorsMs", "engineMs", "totalMs"} and results["timings"]["totalMs"] > 0

    # Independent: pandas-resampled bars and a plain-Python sma-cross.
    bars = load_bars(sample_data, "BTCUSDT", "15m")
    reference = simulate_sma_cross(bars, 10, 20)
    assert equity["time"] == [int(t.timestamp()) for t in bars.index]
    assert len(equity["equity"]) == len(equity["drawdown"]) == len(bars) == 960
    assert equity["equity"] == pytest.approx(reference["equity"], rel=1e-9)
    assert equity["drawdown"] == pytest.approx(drawdowns(equity["equity"]), abs=1e-12)
    done = closed(trades)
    assert len(reference["trades"]) >= 5
    assert [(t["entryIndex"], t["exitIndex"]) for t in done] == [(t["entryIndex"], t["exitIndex"]) for t in reference["trades"]]
    assert [t["pnl"] for t in done] == pytest.approx([t["pnl"] for t in reference["trades"]], rel=1e-9)
    assert [t["entryPrice"] for t in done] == [t["entryPrice"] for t in reference["trades"]]
    assert len(trades) - len(done) == (1 if reference["open"] else 0)

    # Summary metrics against the curve and the trades.
    initial = metrics["initialEquity"]
    assert initial == 10_000
    assert metrics["finalEquity"] == pytest.approx(equity["equity"][-1], rel=1e-12)
    open_value = 0.0
    if reference["open"]:
        o = reference["open"]
        open_value = o["quantity"] * (bars["close"].iloc[-1] - o["entryPrice"])
    assert metrics["finalEquity"] == pytest.approx(initial + sum(t["pnl"] for t in done) + open_value, rel=1e-9)
    assert metrics["totalReturn"] == pytest.approx(metrics["finalEquity"] / initial - 1, rel=1e-9)
    assert metrics["maxDrawdown"] == pytest.approx(min(equity["drawdown"]), abs=1e-12)
    assert results["closedTrades"] + results["openTrades"] == len(trades)
    assert metrics["winningTradeCount"] == sum(t["pnl"] > 0 for t in done)
    assert len(results["runs"]) == 1
    run = results["runs"][0]
    assert run["bars"] == 960 and run["metrics"]["tradeCount"] + run["metrics"]["openTradeCount"] == len(trades)
    assert run["metrics"] == metrics

    # Artifacts: listed, downloadable, and the same numbers.
    assert {"summary.json", "trades.csv", "equity.csv", "results.json"} <= set(results["artifacts"])
    got = server.get(f"/api/backtest/{sid}/artifacts/summary.json")
    assert got.status == 200 and got.headers["content-type"].startswith("application/json")
    assert json.loads(got.body) == summary
    got = server.get(f"/api/backtest/{sid}/artifacts/trades.csv")
    assert got.status == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers.get("content-disposition", "")
    rows = read_csv(got.body)
    assert len(rows) == len(trades)
    assert [float(r["pnl"]) for r in rows] == [t["pnl"] for t in trades]
    assert [int(r["entry_index"]) for r in rows] == [t["entryIndex"] for t in trades]
    rows = read_csv(server.get(f"/api/backtest/{sid}/artifacts/equity.csv").body)
    assert len(rows) == len(equity["equity"])
    assert float(rows[-1]["equity"]) == equity["equity"][-1]
    assert [float(r["equity"]) for r in rows] == equity["equity"]
    on_disk = server.state_dir / "artifacts" / sid
    assert json.loads((on_disk / "summary.json").read_text()) == summary
    assert json.loads(server.get(f"/api/backtest/{sid}/artifacts/results.json").body)["trades"] == trades

    # The other read routes agree with /results.
    assert server.ok("GET", f"/api/backtest/{sid}/equity") == equity
    thin = server.ok("GET", f"/api/backtest/{sid}/equity?maxPoints=100")
    assert 2 <= len(thin["equity"]) <= 100 and thin["time"][0] == equity["time"][0]
    page = server.ok("GET", f"/api/backtest/{sid}/trades?offset=1&limit=2")
    assert page["total"] == len(trades) and page["trades"] == trades[1:3]
    candles = server.ok("GET", f"/api/backtest/{sid}/candles")
    assert candles["count"] == 960 and candles["close"] == pytest.approx(list(bars["close"]), rel=1e-12)
    assert server.ok("GET", f"/api/backtest/{sid}/status")["progressPercent"] == 100


def test_api_runs_match_the_cli_for_native_and_lua_strategies(server, tradelab, sample_data):
    account = {"commission": 0.001, "slippageBps": 2}
    cli_account = ["--commission", "0.001", "--slippage-bps", "2", "--param", "fast=5", "--param", "slow=30"]
    data = ["--symbol", "BTCUSDT", "--timeframe", "15m", "--data-dir", sample_data]
    runs = {}
    for label, strategy, cli_strategy in [("native", "sma-cross", "sma-cross"),
                                          ("lua", "examples/sma_cross", server.strategies_dir / "examples" / "sma_cross.lua")]:
        sid, session = server.run({"strategy": strategy, "params": {"fast": 5, "slow": 30}, "data": BTC_15M, "account": account})
        assert session["status"] == "completed", session
        api = server.results(sid)
        cli = tradelab.json("backtest", *data, "--strategy", cli_strategy, *cli_account)
        fields = ["side", "quantity", "entryIndex", "entryPrice", "exitIndex", "exitPrice", "pnl", "pnlPercent", "fees", "exitReason"]
        assert [{k: t[k] for k in fields} for t in api["trades"]] == [{k: t[k] for k in fields} for t in cli["trades"]]
        assert api["metrics"] == cli["metrics"]
        assert api["metrics"]["finalEquity"] == cli["metrics"]["finalEquity"] == api["equity"]["equity"][-1]
        assert len(api["trades"]) >= 5 and api["metrics"]["commissions"] > 0
        assert api["trades"] == cli["trades"]   # one trade shape everywhere
        runs[label] = api
    # The Lua example says it is trade for trade the native strategy.
    assert [t["pnl"] for t in runs["lua"]["trades"]] == [t["pnl"] for t in runs["native"]["trades"]]


def test_pause_and_resume_give_the_results_of_an_uninterrupted_run(server):
    request = lua_sma("5m", 1)
    paused_id = server.submit(request)
    straight_id = server.submit(request)
    total = 2880
    for threshold in (300, 1200):
        server.wait_progress(paused_id, threshold)
        response = server.post(f"/api/backtest/{paused_id}/pause")
        assert response.status == 200 and response.json["status"] == "paused", response
        time.sleep(0.5)   # let the worker finish its slice and the server drain its events
        first = server.status(paused_id)
        time.sleep(1.5)
        second = server.status(paused_id)
        assert first["status"] == second["status"] == "paused"
        assert first["currentCandleIndex"] == second["currentCandleIndex"], (first, second)
        assert threshold <= first["currentCandleIndex"] < total, first
        assert second["elapsedSeconds"] - first["elapsedSeconds"] < 0.3, "paused time counted as running time"
        again = server.post(f"/api/backtest/{paused_id}/pause")
        assert again.status == 409 and again.error()["code"] == "invalid_state"
        response = server.post(f"/api/backtest/{paused_id}/resume")
        assert response.status == 200 and response.json["status"] == "running", response
    assert server.wait(paused_id, timeout=120)["status"] == "completed"
    assert server.wait(straight_id, timeout=120)["status"] == "completed"
    interrupted, straight = server.results(paused_id), server.results(straight_id)
    assert len(interrupted["equity"]["equity"]) == total
    assert len(interrupted["trades"]) >= 10
    assert interrupted["trades"] == straight["trades"]
    assert interrupted["equity"] == straight["equity"]
    assert interrupted["metrics"] == straight["metrics"]
    resume = server.post(f"/api/backtest/{paused_id}/resume")
    assert resume.status == 409 and resume.error()["code"] == "invalid_state"


def test_stop_keeps_the_processed_bars_only_and_a_finished_run_cannot_be_stopped(server):
    request = lua_sma("5m", 1)
    stopped_id = server.submit(request)
    full_id = server.submit(request)
    server.wait_progress(stopped_id, 400)
    response = server.post(f"/api/backtest/{stopped_id}/stop")
    assert response.status == 200, response
    session = server.wait(stopped_id)
    assert session["status"] == "stopped", session
    processed = session["currentCandleIndex"]
    assert 400 <= processed < session["totalCandles"] == 2880
    assert session["progressPercent"] < 100
    stopped = server.results(stopped_id)
    assert stopped["status"] == "stopped"
    assert len(stopped["equity"]["equity"]) == processed == stopped["runs"][0]["bars"]
    rows = read_csv(server.get(f"/api/backtest/{stopped_id}/artifacts/equity.csv").body)
    assert len(rows) == processed

    assert server.wait(full_id, timeout=120)["status"] == "completed"
    full = server.results(full_id)
    # Bars before the stop are the same bars with the same decisions: a prefix of the full run.
    assert stopped["equity"]["time"] == full["equity"]["time"][:processed]
    assert stopped["equity"]["equity"] == full["equity"]["equity"][:processed]
    assert closed(stopped["trades"]) == [t for t in closed(full["trades"]) if t["exitIndex"] < processed]

    for sid in (stopped_id, full_id):
        again = server.post(f"/api/backtest/{sid}/stop")
        assert again.status == 409 and again.error()["code"] == "invalid_state", again
        assert server.post(f"/api/backtest/{sid}/pause").status == 409


def test_delete_cancels_a_running_run_and_removes_everything(server):
    finished_id, session = server.run({"strategy": "sma-cross", "data": BTC_15M})
    artifacts = server.state_dir / "artifacts" / finished_id
    assert session["status"] == "completed" and (artifacts / "summary.json").exists()
    assert server.delete(f"/api/backtest/{finished_id}").status == 204
    assert not artifacts.exists()
    assert server.get(f"/api/backtest/{finished_id}/results").status == 404

    assert server.wait_no_workers() == []
    running_id = server.submit(lua_sma("5m", 1))
    server.wait_progress(running_id, 100)
    workers = server.workers()
    assert len(workers) == 1, workers
    response = server.delete(f"/api/backtest/{running_id}")
    assert response.status == 204 and response.body == b"", response
    missing = server.get(f"/api/backtest/{running_id}")
    assert missing.status == 404 and missing.error()["code"] == "not_found"
    assert server.get(f"/api/backtest/{running_id}/status").status == 404
    assert server.get(f"/api/backtest/{running_id}/artifacts/summary.json").status == 404
    assert server.wait_no_workers() == [], "the deleted run's worker still runs"
    assert not alive(workers[0])
    time.sleep(0.5)
    assert not (server.state_dir / "artifacts" / running_id).exists()
    assert running_id not in [s["id"] for s in server.ok("GET", "/api/backtest")["sessions"]]
    assert server.delete(f"/api/backtest/{running_id}").status == 404
    engine = server.ok("GET", "/api/engine")
    assert engine["workers"]["busy"] == 0 and engine["runsByStatus"]["running"] == 0


def test_a_killed_worker_fails_only_its_session(server):
    victim = server.submit(lua_sma("5m", 1))
    server.wait_progress(victim, 100)
    [victim_worker] = server.workers()
    other = server.submit(lua_sma("15m", 1))
    server.wait_progress(other, 20)
    assert len(server.workers()) == 2
    os.kill(victim_worker, signal.SIGKILL)
    failed = server.wait(victim)
    assert failed["status"] == "failed", failed
    assert failed["error"]["code"] == "worker_crashed", failed
    assert "signal 9" in failed["error"]["message"] or "killed" in failed["error"]["message"], failed
    results = server.get(f"/api/backtest/{victim}/results")
    assert results.status == 409 and results.error()["code"] == "invalid_state"

    survivor = server.wait(other, timeout=120)
    assert survivor["status"] == "completed" and survivor.get("error") is None
    assert len(server.results(other)["equity"]["equity"]) == 960
    engine = server.ok("GET", "/api/engine")
    assert engine["runsByStatus"]["failed"] == 1 and engine["runsByStatus"]["completed"] == 1
    _, after = server.run({"strategy": "sma-cross", "data": BTC_15M})
    assert after["status"] == "completed"


def test_baselines_are_buy_and_hold_or_a_finished_run(server):
    data = {"symbol": "ETHUSDT", "timeframe": "1h"}
    with_hold, _ = server.run({"strategy": "sma-cross", "data": data, "baseline": "buy-and-hold"})
    hold, _ = server.run({"strategy": "buy-and-hold", "data": data})
    with_run, _ = server.run({"strategy": "sma-cross", "data": data, "baseline": hold})
    a, h, b = server.results(with_hold), server.results(hold), server.results(with_run)
    assert a["baseline"]["name"] == "buy-and-hold"
    assert a["baseline"]["totalReturn"] == pytest.approx(h["metrics"]["totalReturn"], rel=1e-12)
    assert a["baseline"]["equity"]["equity"] == h["equity"]["equity"]
    assert b["baseline"]["runId"] == hold and b["baseline"]["name"] == h["strategy"]
    assert b["baseline"]["equity"] == h["equity"]
    assert server.results(hold).get("baseline") is None
    # Deleting the compared run leaves the other run's results whole, without the baseline.
    assert server.delete(f"/api/backtest/{hold}").status == 204
    for view in (0, 5000):
        alone = server.results(with_run, max_points=view)
        assert "baseline" not in alone and alone["metrics"] == b["metrics"]
    missing = server.post("/api/backtest/run", {"strategy": "sma-cross", "data": data, "baseline": "bt_nope"})
    assert missing.status == 404 and "bt_nope" in missing.error()["message"]
