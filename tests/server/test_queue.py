"""The queue under load: 100 runs submitted at once with 2 workers all complete, in order, never
more than 2 at a time."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

RUNS = 100


def seconds(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_a_hundred_concurrent_submissions_all_complete_in_submission_order(start_server):
    server = start_server("--max-workers", "2")
    symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "AAPL"]

    def request(k: int) -> dict:
        return {"strategy": "sma-cross", "name": f"run {k}", "params": {"fast": 5 + k % 7, "slow": 30},
                "data": {"symbol": symbols[k % len(symbols)], "timeframe": "1h"}}

    busy_seen, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            engine = server.ok("GET", "/api/engine")
            busy_seen.append((engine["workers"]["busy"], len(server.workers())))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            responses = list(pool.map(lambda k: server.post("/api/backtest/run", request(k)), range(RUNS)))
        assert [r.status for r in responses] == [202] * RUNS, [r for r in responses if r.status != 202][:3]
        ids = [r.json["id"] for r in responses]
        assert len(set(ids)) == RUNS
        deadline = time.time() + 150
        while True:
            engine = server.ok("GET", "/api/engine")
            counts = engine["runsByStatus"]
            if counts["completed"] + counts["failed"] + counts["stopped"] == RUNS or time.time() > deadline:
                break
            time.sleep(0.2)
    finally:
        stop.set()
        watcher.join()

    assert counts["completed"] == RUNS, counts
    assert engine["queueLength"] == 0
    sessions = server.ok("GET", "/api/backtest?limit=1000")["sessions"]
    assert sorted(s["id"] for s in sessions) == sorted(ids), "sessions were lost or invented"
    assert all(s["status"] == "completed" for s in sessions)
    # The list is newest first, i.e. by submission sequence; starts must follow that order.
    in_order = sessions[::-1]
    created = [seconds(s["createdAt"]) for s in in_order]
    started = [seconds(s["startedAt"]) for s in in_order]
    finished = [seconds(s["finishedAt"]) for s in in_order]
    assert created == sorted(created)
    assert started == sorted(started), "runs did not start in submission order"
    # Never more than 2 runs at once: at every start, at most one other run is unfinished.
    for k, start in enumerate(started):
        overlapping = sum(1 for j in range(RUNS) if j != k and started[j] <= start < finished[j])
        assert overlapping <= 1, (k, overlapping)
    assert busy_seen and max(b for b, _ in busy_seen) <= 2 and max(w for _, w in busy_seen) <= 2, max(busy_seen)
    # Each session ran its own request.
    by_id = {s["id"]: s for s in sessions}
    for k, sid in enumerate(ids):
        assert by_id[sid]["name"] == f"run {k}"
        assert by_id[sid]["symbol"] == symbols[k % len(symbols)]
        assert by_id[sid]["summary"]["metrics"]["barCount"] == by_id[sid]["totalCandles"] > 0
    assert server.wait_no_workers() == []


def test_queued_sessions_can_be_deleted_or_stopped_and_a_paused_run_stopped(start_server):
    server = start_server("--max-workers", "1")
    first = server.submit({"strategy": "examples/sma_cross", "data": {"symbol": "BTCUSDT", "timeframe": "5m"}, "stateEvery": 1, "stateIntervalMs": 0})
    second = server.submit({"strategy": "sma-cross", "data": {"symbol": "BTCUSDT", "timeframe": "1h"}})
    third = server.submit({"strategy": "sma-cross", "data": {"symbol": "ETHUSDT", "timeframe": "1h"}})
    server.wait_progress(first, 50)
    assert [server.session(s).get("queuePosition") for s in (second, third)] == [1, 2]
    assert server.ok("GET", "/api/engine")["queueLength"] == 2
    assert server.delete(f"/api/backtest/{second}").status == 204
    assert server.session(third)["queuePosition"] == 1
    stopped = server.ok("POST", f"/api/backtest/{third}/stop")
    assert stopped["status"] == "stopped" and stopped["currentCandleIndex"] == 0 and stopped.get("startedAt") is None
    response = server.get(f"/api/backtest/{third}/results")
    assert response.status in (404, 409) and response.error()["code"] in ("not_found", "invalid_state")
    assert server.ok("GET", "/api/engine")["queueLength"] == 0

    # Stop while paused: the worker wakes up, stops, and keeps the bars it processed.
    assert server.ok("POST", f"/api/backtest/{first}/pause")["status"] == "paused"
    time.sleep(0.3)
    processed = server.status(first)["currentCandleIndex"]
    server.ok("POST", f"/api/backtest/{first}/stop")
    session = server.wait(first, timeout=20)
    assert session["status"] == "stopped" and session["currentCandleIndex"] == processed
    assert len(server.results(first)["equity"]["equity"]) == processed
    assert server.wait_no_workers() == []
    # Neither queued session ever ran.
    for sid in (second, third):
        assert not (server.state_dir / "artifacts" / sid).exists()
    fresh, after = server.run({"strategy": "sma-cross", "data": {"symbol": "BTCUSDT", "timeframe": "1h"}})
    assert after["status"] == "completed"
