"""`/api/optimize` against a real server and real workers: the results equal `tradelab optimize
--json` on the same data; progress reaches `/ws` (genetic: best and mean per generation), also
to a client that subscribed by id; a stop keeps the trials done; a delete removes the files; bad
input is refused naming the field, before anything is queued; optimizations survive a restart,
and one cut short by it is failed as `interrupted`."""
import json
import re
import time

from websockets.sync.client import connect

from .conftest import ROOT
from .test_live import read_for

BTC_1H = {"symbol": "BTCUSDT", "timeframe": "1h"}
GRID = {"strategy": "sma-cross", "data": BTC_1H, "paramRanges": {"fast": "5:20:5", "slow": [20, 40, 60]},
        "constraints": ["fast<slow"], "objective": "totalReturn", "account": {"commission": 0.001}}
CLI_GRID = ["--strategy", "sma-cross", "--symbol", "BTCUSDT", "--timeframe", "1h", "--param-range", "fast=5:20:5",
            "--param-range", "slow=20,40,60", "--constraint", "fast<slow", "--objective", "totalReturn", "--commission", "0.001"]
FINAL = ("completed", "stopped", "failed")


def long_search() -> dict:
    """A Lua grid of thousands of trials on 14,400 bars: minutes, so it is still running when stopped."""
    return {"strategy": "examples/sma_cross", "data": {"symbol": "ETHUSDT", "timeframe": "1m"},
            "paramRanges": {"fast": "2:60:1", "slow": "20:200:2"}, "progressIntervalMs": 0}


def submit(server, body: dict) -> str:
    view = server.ok("POST", "/api/optimize", body, status=202)
    assert view["status"] in ("queued", "running") and view["id"].startswith("op_"), view
    return view["id"]


def wait(server, oid: str, statuses=FINAL, timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while True:
        view = server.ok("GET", f"/api/optimize/{oid}")
        if view["status"] in statuses:
            return view
        assert time.time() < deadline, f"{oid} still {view['status']} after {timeout} s"
        time.sleep(0.05)


def wait_trials(server, oid: str, trials: int, timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while True:
        view = server.ok("GET", f"/api/optimize/{oid}")
        if view["trialsDone"] >= trials:
            return view
        assert view["status"] in ("queued", "running"), view
        assert time.time() < deadline, view
        time.sleep(0.05)


def test_results_equal_the_cli_and_the_list_shows_them(server, tradelab, sample_data):
    body = {**GRID, "monteCarlo": 200, "seed": 3, "walkForward": {"folds": 3, "inSamplePercent": 60}}
    oid = submit(server, body)
    view = wait(server, oid)
    assert view["status"] == "completed", view
    results = server.ok("GET", f"/api/optimize/{oid}/results")
    cli = tradelab.json("optimize", *CLI_GRID, "--data-dir", sample_data, "--monte-carlo", "200", "--seed", "3",
                        "--walk-forward", "3", "--in-sample", "60%")
    assert set(results) == set(cli), set(results) ^ set(cli)
    for key in cli:
        if key != "timings":
            assert results[key] == cli[key], key
    assert results["cancelled"] is False
    # 4 x 3 points, one of them (20, 20) refused by fast<slow before running.
    assert len(results["trials"]) == 11 and all(t["params"]["fast"] < t["params"]["slow"] for t in results["trials"])
    assert results["walkForward"]["windows"] and results["monteCarlo"]["simulations"] == 200
    # The view: progress over both phases, and the search's best.
    assert view["best"] == results["best"] and view["trialsDone"] == view["trialsTotal"] == 11 * 4
    assert view["progressPercent"] == 100 and view["method"] == "grid" and view["objective"] == "totalReturn"
    assert view["request"] == body and view["symbol"] == "BTCUSDT" and view["timeframe"] == "1h"

    other = submit(server, {**GRID, "data": {"symbol": "ETHUSDT", "timeframe": "1h"}, "method": "random", "trials": 5,
                            "name": "eth draws"})
    assert wait(server, other)["status"] == "completed"
    listing = server.ok("GET", "/api/optimize")["optimizations"]
    assert [o["id"] for o in listing] == [other, oid] and all("request" not in o for o in listing)
    assert listing[0]["name"] == "eth draws" and listing[1]["name"] == "sma-cross on BTCUSDT"
    assert [o["id"] for o in server.ok("GET", "/api/optimize?symbol=ethusdt")["optimizations"]] == [other]
    assert [o["id"] for o in server.ok("GET", "/api/optimize?limit=1&offset=1")["optimizations"]] == [oid]
    assert server.ok("GET", "/api/optimize?status=failed")["optimizations"] == []
    bad = server.get("/api/optimize?status=bogus")
    assert bad.status == 400 and "status must be one of" in bad.error()["message"]


def test_genetic_progress_reaches_the_websocket_and_a_client_subscribed_by_id(server):
    body = {"strategy": "sma-cross", "data": {"symbol": "SOLUSDT", "timeframe": "5m"},
            "paramRanges": {"fast": "2:40:1", "slow": "10:200:5"}, "method": "genetic", "population": 12,
            "generations": 6, "patience": 6, "seed": 5, "progressIntervalMs": 0}
    with connect(server.ws_url, max_queue=None) as everything, connect(server.ws_url, max_queue=None) as mine:
        everything.send(json.dumps({"type": "subscribe_all"}))
        mine.send(json.dumps({"type": "subscribe", "sessionIds": ["op_nothing_yet"]}))
        time.sleep(0.2)
        oid = submit(server, body)
        mine.send(json.dumps({"type": "subscribe", "sessionIds": [oid]}))
        backtest = server.submit({"strategy": "sma-cross", "data": BTC_1H})
        final = wait(server, oid)
        assert final["status"] == "completed", final
        server.wait(backtest)
        seen_all = read_for(everything, 1.0)
        seen_mine = read_for(mine, 0.5)
    results = server.ok("GET", f"/api/optimize/{oid}/results")

    updates = [m for m in seen_all if m["type"] == "optimization_update" and m["optimizationId"] == oid]
    assert {m["type"] for m in seen_all} == {"optimization_update", "backtest_state_update"}
    running = [m for m in updates if m["status"] == "running"]
    assert len(running) >= 3, updates[:3]
    done = [m["trialsDone"] for m in running]
    assert done == sorted(done) and done[-1] > done[0]
    # Genetic: generations arrive one by one, each with its best and mean objective.
    lengths = [len(m.get("generations", [])) for m in running]
    assert lengths == sorted(lengths) and lengths[-1] >= 2, lengths
    last = updates[-1]
    assert last["status"] == "completed" and updates.count(last) == 1
    assert last["generations"] == results["generations"] == final["generations"]
    assert all(g["best"] >= g["mean"] for g in last["generations"])
    assert last["best"] == results["best"] and last["trialsDone"] == len(results["trials"])
    # The client subscribed by id heard only of that optimization, and of its end.
    assert seen_mine and {m.get("optimizationId") for m in seen_mine} == {oid}, seen_mine
    assert seen_mine[-1] == last


def test_a_stop_keeps_the_trials_done_and_a_delete_removes_everything(server):
    oid = submit(server, long_search())
    beside = server.submit({"strategy": "sma-cross", "data": BTC_1H})   # backtests run beside an optimization
    early = server.get(f"/api/optimize/{oid}/results")
    assert early.status == 409 and early.error()["code"] == "invalid_state"
    running = wait_trials(server, oid, 3)
    assert running["status"] == "running" and running["trialsTotal"] == 59 * 91 and running["best"]
    assert server.wait(beside)["status"] == "completed"
    stopped = server.ok("POST", f"/api/optimize/{oid}/stop")
    assert stopped["status"] in ("stopping", "stopped")
    stopped = wait(server, oid)
    assert stopped["status"] == "stopped" and "error" not in stopped, stopped
    results = server.ok("GET", f"/api/optimize/{oid}/results")
    assert results["cancelled"] is True and 3 <= len(results["trials"]) < 59 * 91
    assert stopped["trialsDone"] == len(results["trials"]) and stopped["best"] == results["best"]
    again = server.post(f"/api/optimize/{oid}/stop")
    assert again.status == 409 and again.error()["code"] == "invalid_state"

    folder = server.state_dir / "artifacts" / oid
    assert (folder / "results.json").exists() and (folder / "trials.csv").exists()
    assert server.delete(f"/api/optimize/{oid}").status == 204
    assert not folder.exists()
    for response in (server.get(f"/api/optimize/{oid}"), server.get(f"/api/optimize/{oid}/results"),
                     server.delete(f"/api/optimize/{oid}"), server.post(f"/api/optimize/{oid}/stop")):
        assert response.status == 404 and response.error()["code"] == "not_found"
    # Deleting a running one kills its worker.
    busy = submit(server, long_search())
    wait_trials(server, busy, 1)
    assert server.delete(f"/api/optimize/{busy}").status == 204
    assert server.wait_no_workers(10) == []
    assert server.ok("GET", "/api/optimize")["optimizations"] == []


def test_a_stop_stops_trials_stuck_in_their_script(server):
    code = ("-- @name Stuck\n-- @param p 1 [1, 10]\nfunction on_bar(ctx, bar)\n"
            "  if params.p >= 2 then while true do end end\n"
            "  if ctx.index % 10 == 0 then return \"buy\" end\n"
            "  if ctx.index % 10 == 5 then return \"sell\" end\nend\n")
    oid = submit(server, {"code": code, "data": BTC_1H, "paramRanges": {"p": "1:6:1"}})
    wait_trials(server, oid, 1)
    time.sleep(0.5)          # every thread is now in an endless loop
    start = time.time()
    server.ok("POST", f"/api/optimize/{oid}/stop")
    assert wait(server, oid, timeout=10)["status"] == "stopped"
    assert time.time() - start < 5
    trials = server.ok("GET", f"/api/optimize/{oid}/results")["trials"]
    assert [t["params"]["p"] for t in trials] == [1] and "rejected" not in trials[0]


def test_a_failing_trial_is_recorded_and_the_search_goes_on(server):
    code = ("-- @name Flaky\n-- @param p 3 [1, 10]\nfunction on_bar(ctx, bar)\n"
            "  if params.p == 2 and ctx.index == 5 then error(\"two is bad\") end\n"
            "  if ctx.index % (params.p * 10) == 0 then return \"buy\" end\n"
            "  if ctx.index % (params.p * 10) == 5 then return \"sell\" end\nend\n")
    oid = submit(server, {"code": code, "name": "flaky", "data": BTC_1H, "paramRanges": {"p": "1:4:1"}})
    assert wait(server, oid)["status"] == "completed"
    trials = server.ok("GET", f"/api/optimize/{oid}/results")["trials"]
    assert [t["params"]["p"] for t in trials] == [1, 2, 3, 4]
    failed = [t for t in trials if "objective" not in t]
    assert [t["params"]["p"] for t in failed] == [2] and "two is bad" in failed[0]["rejected"] and ":4:" in failed[0]["rejected"]


REFUSED = [
    # (change to the grid request, words the message must hold)
    ({"paramRanges": {}}, ["paramRanges"]),
    ({"paramRanges": {"fast": "5:50:0"}}, ["fast", "step"]),
    ({"paramRanges": {"fast": "50:5:5"}}, ["fast", "inverted"]),
    ({"paramRanges": {"fast": []}}, ["fast", "no values"]),
    ({"paramRanges": {"speed": "5:50:5"}, "constraints": []}, ["paramRanges.speed", "fast, slow"]),
    ({"paramRanges": {"fast": "1:1000:1", "slow": "1:1001:1"}}, ["1001000", "1000000", "random"]),
    ({"objective": "luck"}, ["objective 'luck'", "sharpe"]),
    ({"method": "annealing"}, ["method", "annealing"]),
    ({"trials": 5}, ["trials", "random"]),
    ({"population": 4}, ["population", "genetic"]),
    ({"method": "genetic", "population": 1}, ["population", "1"]),
    ({"monteCarlo": 0}, ["monteCarlo"]),
    ({"walkForward": {"folds": 0}}, ["walkForward.folds"]),
    ({"walkForward": {"folds": 3, "inSamplePercent": 100}}, ["walkForward.inSamplePercent"]),
    ({"maxDrawdownPercent": 0}, ["maxDrawdownPercent"]),
    ({"constraints": ["fast<speed"]}, ["speed"]),
    ({"params": {"fast": 3}}, ["fast", "both searched"]),
]


def test_bad_input_is_refused_naming_the_field_before_anything_is_queued(server):
    for change, words in REFUSED:
        response = server.post("/api/optimize", {**GRID, **change})
        assert response.status == 400, (change, response)
        error = response.error()
        assert error["code"] == "invalid_value", (change, error)
        for word in words:
            assert word in error["message"], (change, error["message"])
        assert "--" not in error["message"], f"a CLI flag in an API message: {error['message']}"
    unknown = server.post("/api/optimize", {**GRID, "colour": 1})
    assert unknown.status == 400 and unknown.error()["code"] == "unknown_field" and "colour" in unknown.error()["message"]
    nested = server.post("/api/optimize", {**GRID, "walkForward": {"folds": 2, "window": 5}})
    assert nested.status == 400 and "window" in nested.error()["message"]
    missing = server.post("/api/optimize", {**GRID, "strategy": "nope"})
    assert missing.status == 404 and "nope" in missing.error()["message"]
    no_data = server.post("/api/optimize", {**GRID, "data": {"symbol": "NOPE", "timeframe": "1h"}})
    assert no_data.status == 404 and "NOPE" in no_data.error()["message"]
    assert server.ok("GET", "/api/optimize")["optimizations"] == []
    assert server.workers() == []


def test_optimizations_survive_a_restart_and_a_running_one_is_interrupted(start_server):
    first = start_server()
    done = submit(first, GRID)
    assert wait(first, done)["status"] == "completed"
    before = (first.ok("GET", f"/api/optimize/{done}"), first.ok("GET", f"/api/optimize/{done}/results"))
    cut = submit(first, long_search())
    wait_trials(first, cut, 1)
    first.kill()

    second = start_server(state_dir=first.state_dir)
    assert [o["id"] for o in second.ok("GET", "/api/optimize")["optimizations"]] == [cut, done]
    assert (second.ok("GET", f"/api/optimize/{done}"), second.ok("GET", f"/api/optimize/{done}/results")) == before
    view = second.ok("GET", f"/api/optimize/{cut}")
    assert view["status"] == "failed" and view["error"]["code"] == "interrupted", view
    assert "while this optimization was running" in view["error"]["message"] and view["finishedAt"]
    results = second.get(f"/api/optimize/{cut}/results")
    assert results.status == 409 and results.error()["code"] == "invalid_state"
    fresh = submit(second, GRID)
    assert fresh not in (done, cut) and wait(second, fresh)["status"] == "completed"


def documented_requests() -> list[dict]:
    """The request of docs/http-api.md's Optimizations section and the curl body of docs/optimize.md."""
    api = (ROOT / "docs" / "http-api.md").read_text()
    section = api[api.index("## Optimizations"):api.index("## WebSocket")]
    guide = (ROOT / "docs" / "optimize.md").read_text()
    return [json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1)),
            json.loads(re.search(r"/api/optimize -H 'content-type: application/json' -d '(.*?)'", guide, re.S).group(1))]


def test_the_documented_requests_run(server):
    for body in documented_requests():
        oid = submit(server, body)
        view = wait(server, oid)
        assert view["status"] == "completed", view
        results = server.ok("GET", f"/api/optimize/{oid}/results")
        assert results.get("best") and results["walkForward"]["windows"] and results["monteCarlo"]["simulations"] == body["monteCarlo"]


def test_a_backtest_compares_itself_with_an_optimizations_model(server):
    oid = submit(server, GRID)
    assert wait(server, oid)["status"] == "completed"
    best = server.ok("GET", f"/api/optimize/{oid}/results")["best"]
    account = GRID["account"]
    sid, session = server.run({"strategy": "buy-and-hold", "data": BTC_1H, "account": account, "baseline": oid})
    assert session["status"] == "completed", session
    baseline = server.results(sid)["baseline"]
    alone_id, _ = server.run({"strategy": "sma-cross", "params": best["params"], "data": BTC_1H, "account": account})
    alone = server.results(alone_id)
    # The model is the best trial's strategy and parameters, run on the same bars with the run's account.
    assert baseline["optimizationId"] == oid and "runId" not in baseline and baseline["name"] == alone["strategy"]
    assert baseline["totalReturn"] == alone["metrics"]["totalReturn"] == best["metrics"]["totalReturn"]
    assert baseline["equity"]["time"] == alone["equity"]["time"] and baseline["equity"]["equity"] == alone["equity"]["equity"]
    # Randomized windows compare each window with the model on that window.
    windows, _ = server.run({"strategy": "buy-and-hold", "data": BTC_1H, "account": account, "baseline": oid,
                             "randomized": {"runs": 3, "duration": "3d", "seed": 4}})
    assert len(server.results(windows)["baseline"]["runs"]) == 3

    other = server.post("/api/backtest/run", {"strategy": "buy-and-hold", "data": {"symbol": "ETHUSDT", "timeframe": "1h"}, "baseline": oid})
    assert other.status == 400 and "other data" in other.error()["message"]
    missing = server.post("/api/backtest/run", {"strategy": "buy-and-hold", "data": BTC_1H, "baseline": "op_nothing"})
    assert missing.status == 404 and "op_nothing" in missing.error()["message"]
    running = submit(server, long_search())
    busy = server.post("/api/backtest/run", {"strategy": "buy-and-hold", "data": {"symbol": "ETHUSDT", "timeframe": "1m"}, "baseline": running})
    assert busy.status == 409 and "has not finished" in busy.error()["message"]
    server.delete(f"/api/optimize/{running}")
    # The comparison is part of the run's results: it stays when the optimization is deleted.
    assert server.delete(f"/api/optimize/{oid}").status == 204
    assert server.results(sid)["baseline"] == baseline
