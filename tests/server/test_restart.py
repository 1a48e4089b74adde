"""Restarts: finished runs survive a new server on the same state folder (listed, results served
from the files, identical); runs cut short by the server's end are failed as `interrupted`."""
import signal
import time

from pathlib import Path

from .conftest import alive, cmdline

BTC_1H = {"symbol": "BTCUSDT", "timeframe": "1h"}


def long_run() -> dict:
    return {"strategy": "examples/sma_cross", "data": {"symbol": "ETHUSDT", "timeframe": "1m"}, "stateEvery": 1,
            "stateIntervalMs": 0}


def test_finished_runs_are_served_identically_after_a_restart(start_server):
    first = start_server()
    native, _ = first.run({"strategy": "sma-cross", "data": BTC_1H, "name": "native run"})
    lua, _ = first.run({"strategy": "examples/sma_cross", "data": {"symbol": "ETHUSDT", "timeframe": "15m"},
                        "randomized": {"runs": 3, "duration": "2d", "seed": 7}})
    stopped = first.submit({"strategy": "examples/sma_cross", "data": {"symbol": "SOLUSDT", "timeframe": "5m"}, "stateEvery": 1,
                             "stateIntervalMs": 0})
    first.wait_progress(stopped, 100)
    first.post(f"/api/backtest/{stopped}/stop")
    assert first.wait(stopped)["status"] == "stopped"
    idle = first.create({"strategy": "sma-cross", "data": BTC_1H})
    ids = [native, lua, stopped, idle]
    before = {sid: (first.session(sid), first.results(sid) if sid != idle else None,
                    first.get(f"/api/backtest/{sid}/artifacts/trades.csv").body if sid != idle else None) for sid in ids}
    listing = first.ok("GET", "/api/backtest")["sessions"]
    assert [s["id"] for s in listing] == ids[::-1]
    first.kill()

    second = start_server(state_dir=first.state_dir)
    assert second.port != first.port
    after_listing = second.ok("GET", "/api/backtest")["sessions"]
    assert [s["id"] for s in after_listing] == ids[::-1]
    assert after_listing == listing
    engine = second.ok("GET", "/api/engine")
    assert engine["runsByStatus"]["completed"] == 2 and engine["runsByStatus"]["stopped"] == 1
    assert engine["runsByStatus"]["idle"] == 1 and engine["resultCache"]["entries"] == 0
    for sid in ids:
        session, results, trades_csv = before[sid]
        assert second.session(sid) == session
        if results is None:
            continue
        assert second.results(sid) == results          # read back from results.json
        assert second.get(f"/api/backtest/{sid}/artifacts/trades.csv").body == trades_csv
    assert second.ok("GET", "/api/engine")["resultCache"]["entries"] == 3
    assert len(before[lua][1]["runs"]) == 3
    # The idle session can still be started, and new ids do not collide with old ones.
    assert second.ok("POST", f"/api/backtest/{idle}/start")["status"] in ("queued", "running")
    assert second.wait(idle)["status"] == "completed"
    fresh, _ = second.run({"strategy": "sma-cross", "data": BTC_1H})
    assert fresh not in ids
    assert [s["id"] for s in second.ok("GET", "/api/backtest")["sessions"]][0] == fresh


def test_a_run_cut_short_by_the_server_is_failed_as_interrupted(start_server):
    first = start_server()
    done, _ = first.run({"strategy": "sma-cross", "data": BTC_1H})
    running = first.submit(long_run())
    first.wait_progress(running, 50)
    paused = first.submit(long_run())
    first.wait_progress(paused, 50)
    first.ok("POST", f"/api/backtest/{paused}/pause")
    first.kill()

    second = start_server(state_dir=first.state_dir)
    assert second.session(done)["status"] == "completed"
    for sid, was in ((running, "running"), (paused, "paused")):
        session = second.session(sid)
        assert session["status"] == "failed", session
        assert session["error"]["code"] == "interrupted", session
        assert session["finishedAt"]
        results = second.get(f"/api/backtest/{sid}/results")
        assert results.status == 409 and results.error()["code"] == "invalid_state"
    engine = second.ok("GET", "/api/engine")
    assert engine["runsByStatus"]["failed"] == 2 and engine["runsByStatus"]["running"] == 0 and engine["queueLength"] == 0
    # The message should say what the run was doing when the server stopped.
    for sid, was in ((running, "running"), (paused, "paused")):
        message = second.session(sid)["error"]["message"]
        assert f"while this run was {was}" in message, message


def test_sigterm_shuts_the_server_down_with_its_workers(start_server):
    server = start_server()
    sid, _ = server.run({"strategy": "sma-cross", "data": BTC_1H})
    running = server.submit(long_run())
    server.wait_progress(running, 50)
    workers = server.workers()
    assert len(workers) == 1
    server.process.send_signal(signal.SIGTERM)
    try:
        code = server.process.wait(timeout=8)
    except Exception:
        code = None
    assert code is not None, "the server was still running 8 s after SIGTERM"
    deadline = time.time() + 5
    while alive(workers[0]) and time.time() < deadline:
        time.sleep(0.05)
    assert not alive(workers[0]), "the worker outlived the server"
    # What it finished is still there for the next server; the cut run is interrupted.
    again = start_server(state_dir=server.state_dir)
    assert again.session(sid)["status"] == "completed"
    assert again.results(sid)["status"] == "completed"
    cut = again.session(running)
    assert cut["status"] == "failed" and cut["error"]["code"] == "interrupted", cut


def test_spare_workers_wait_ready_run_one_job_each_and_die_with_the_server(start_server):
    server = start_server("--max-workers", "2", "--spare-workers", "2")

    def workers_when(condition, timeout=10):
        deadline = time.time() + timeout
        while not condition(current := set(server.workers())) and time.time() < deadline:
            time.sleep(0.02)
        return current

    spares = workers_when(lambda w: len(w) == 2)
    assert len(spares) == 2, spares
    # Built next to tradelab, the slim tradelab-worker executable is what runs the jobs.
    assert {Path(cmdline(pid)[0]).name for pid in spares} == {"tradelab-worker"}, [cmdline(pid) for pid in spares]
    sid, session = server.run({"strategy": "sma-cross", "data": BTC_1H})
    assert session["status"] == "completed", session
    # The run took one spare; that process ran its job and exited, and a new spare took its place.
    after = workers_when(lambda w: len(w) == 2 and len(spares - w) == 1)
    used = spares - after
    assert len(used) == 1 and not any(alive(pid) for pid in used), (spares, after)
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=8) is not None
    deadline = time.time() + 5
    while any(alive(pid) for pid in after) and time.time() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in after), "a spare worker outlived the server"
