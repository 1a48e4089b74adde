"""The live WebSocket `/ws`: state updates with the documented fields, monotonic progress, one
final message agreeing with /results; slow clients do not slow runs; subscriptions filter."""
import json
import socket
import time

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

# websockets' sync client: recv(timeout=) raises TimeoutError when nothing arrives.
FINAL = ("completed", "stopped", "failed")
STATE_FIELDS = {"status", "currentTime", "currentCandleIndex", "totalCandles", "progressPercent", "currentCapital",
                "peakCapital", "drawdown", "openTrades", "recentSignals", "recentTrades", "metrics"}
METRIC_FIELDS = {"totalTrades", "winningTrades", "losingTrades", "winRate", "totalPnl", "equityCurve"}


def lua_run(timeframe: str, state_every: int, symbol: str = "BTCUSDT") -> dict:
    return {"strategy": "examples/sma_cross", "params": {"fast": 10, "slow": 30}, "account": {"commission": 0.001},
            "data": {"symbol": symbol, "timeframe": timeframe}, "stateEvery": state_every}


def subscribe(ws, *ids: str):
    ws.send(json.dumps({"type": "subscribe", "sessionIds": list(ids)}))
    time.sleep(0.3)   # the server applies it asynchronously; there is no acknowledgement


def read_until_final(ws, session: str, timeout: float = 60) -> list[dict]:
    """Every message until the session's final one (included)."""
    messages, deadline = [], time.time() + timeout
    while True:
        remaining = deadline - time.time()
        assert remaining > 0, f"no final message for {session} within {timeout} s; got {len(messages)} messages"
        message = json.loads(ws.recv(timeout=remaining))
        messages.append(message)
        if message.get("sessionId") == session and message["state"]["status"] in FINAL:
            return messages


def read_for(ws, seconds: float) -> list[dict]:
    """Whatever arrives within `seconds`."""
    messages, deadline = [], time.time() + seconds
    while (remaining := deadline - time.time()) > 0:
        try:
            messages.append(json.loads(ws.recv(timeout=remaining)))
        except TimeoutError:
            break
    return messages


def check_state(state: dict):
    assert STATE_FIELDS <= set(state), STATE_FIELDS - set(state)
    assert METRIC_FIELDS <= set(state["metrics"]), METRIC_FIELDS - set(state["metrics"])
    for key in ("currentCandleIndex", "totalCandles", "openTrades"):
        assert isinstance(state[key], int), (key, state[key])
    for key in ("progressPercent", "currentCapital", "peakCapital", "drawdown"):
        assert isinstance(state[key], (int, float)), (key, state[key])
    assert state["progressPercent"] == pytest.approx(state["currentCandleIndex"] * 100 / state["totalCandles"])
    assert state["peakCapital"] >= state["currentCapital"] > 0
    assert state["drawdown"] == pytest.approx(min(0.0, state["currentCapital"] / state["peakCapital"] - 1), abs=1e-12)
    assert len(state["recentSignals"]) <= 10 and len(state["recentTrades"]) <= 10
    metrics = state["metrics"]
    assert metrics["winningTrades"] + metrics["losingTrades"] <= metrics["totalTrades"]
    if metrics["totalTrades"]:
        assert metrics["winRate"] == pytest.approx(metrics["winningTrades"] / metrics["totalTrades"])
    for point in metrics["equityCurve"]:
        assert set(point) == {"time", "value"}
    for trade in state["recentTrades"]:
        assert {"side", "entryTime", "exitTime", "entryPrice", "exitPrice", "pnl", "exitReason"} <= set(trade)
    for signal in state["recentSignals"]:
        assert {"time", "action", "side", "status"} <= set(signal)


def test_state_updates_stream_with_the_documented_fields_and_one_final_message(server):
    sid = server.create(lua_run("15m", 5))
    with connect(server.ws_url, max_queue=None) as ws:
        subscribe(ws, sid)
        server.ok("POST", f"/api/backtest/{sid}/start")
        messages = read_until_final(ws, sid)
        late = read_for(ws, 1.0)
    assert server.wait(sid)["status"] == "completed"
    assert all(m["type"] == "backtest_state_update" and m["sessionId"] == sid for m in messages + late)
    finals = [m for m in messages + late if m["state"]["status"] in FINAL]
    assert len(finals) == 1, [m["state"]["status"] for m in finals]
    running = messages[:-1]
    assert len(running) >= 10, f"only {len(running)} intermediate updates for 960 bars every 5"
    assert all(m["state"]["status"] == "running" for m in running)
    for m in messages:
        check_state(m["state"])
    index = [m["state"]["currentCandleIndex"] for m in messages]
    progress = [m["state"]["progressPercent"] for m in messages]
    trades = [m["state"]["metrics"]["totalTrades"] for m in messages]
    assert index == sorted(index) and progress == sorted(progress) and trades == sorted(trades)
    assert {m["state"]["totalCandles"] for m in messages} == {960}
    assert all(i % 5 == 0 for i in index[:-1]), "updates come every stateEvery bars"

    final = finals[0]["state"]
    results = server.results(sid)
    closed = [t for t in results["trades"] if t["exitReason"] != "open"]
    assert final["status"] == "completed" and final["currentCandleIndex"] == 960 and final["progressPercent"] == 100
    metrics = final["metrics"]
    assert metrics["totalTrades"] == len(closed) >= 5
    assert metrics["winningTrades"] == sum(t["pnl"] > 0 for t in closed)
    assert metrics["losingTrades"] == sum(t["pnl"] < 0 for t in closed)
    assert metrics["totalPnl"] == pytest.approx(sum(t["pnl"] for t in closed), rel=1e-9)
    equity = results["equity"]
    assert final["currentCapital"] == pytest.approx(equity["equity"][-1], rel=1e-12)
    assert final["peakCapital"] == pytest.approx(max(equity["equity"]), rel=1e-12)
    by_time = dict(zip(equity["time"], equity["equity"]))
    assert len(metrics["equityCurve"]) >= 100
    for point in metrics["equityCurve"]:
        assert point["value"] == pytest.approx(by_time[point["time"]], rel=1e-12)
    last_trades = final["recentTrades"]
    assert [t["pnl"] for t in last_trades] == pytest.approx([t["pnl"] for t in closed[-len(last_trades):]])


def test_a_slow_client_does_not_slow_a_run_and_still_gets_the_final_message(server):
    baseline_id, baseline = server.run(lua_run("15m", 1))
    assert baseline["status"] == "completed"
    baseline_seconds = server.status(baseline_id)["elapsedSeconds"]

    sid = server.create(lua_run("15m", 1))
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    with connect(server.ws_url, sock=sock, max_queue=1) as ws:
        subscribe(ws, sid)
        server.ok("POST", f"/api/backtest/{sid}/start")
        finished = server.wait(sid, timeout=60)          # not reading the socket meanwhile
        assert finished["status"] == "completed"
        slow_seconds = server.status(sid)["elapsedSeconds"]
        time.sleep(1)
        messages = read_until_final(ws, sid, timeout=30)
        late = read_for(ws, 1.0)
    assert slow_seconds < 2 * baseline_seconds + 2, (slow_seconds, baseline_seconds)
    finals = [m for m in messages + late if m["state"]["status"] in FINAL]
    assert len(finals) == 1 and finals[0]["state"]["status"] == "completed"
    assert finals[0]["state"]["metrics"]["totalTrades"] == len(
        [t for t in server.results(sid)["trades"] if t["exitReason"] != "open"])
    index = [m["state"]["currentCandleIndex"] for m in messages]
    assert index == sorted(index)
    # Undelivered intermediate states were replaced by newer ones rather than queued up.
    assert len(messages) < 960 / 2, f"{len(messages)} messages for 960 states: nothing was coalesced"


def test_subscriptions_deliver_only_the_chosen_sessions(server):
    mine = server.create(lua_run("15m", 2))
    other = server.create(lua_run("15m", 2, symbol="ETHUSDT"))
    # max_queue=None: the websockets client cannot complete a close handshake while its bounded
    # receive queue is full (it waits close_timeout, 10 s), and `everything` is read late.
    with connect(server.ws_url, max_queue=None) as chosen, connect(server.ws_url, max_queue=None) as everything:
        subscribe(chosen, mine)
        server.ok("POST", f"/api/backtest/{other}/start")
        server.ok("POST", f"/api/backtest/{mine}/start")
        received = read_until_final(chosen, mine)
        all_received = read_until_final(everything, other)
        assert server.wait(other)["status"] == "completed"
        received += read_for(chosen, 1.0)
        all_received += read_for(everything, 0.5)
        # Unsubscribing stops delivery for that session.
        chosen.send(json.dumps({"type": "unsubscribe", "sessionIds": [mine]}))
        time.sleep(0.3)
        third, _ = server.run(lua_run("1h", 1))
        assert read_for(chosen, 0.5) == []
        # A malformed message gets an error message back, and the connection stays usable.
        chosen.send("not json")
        error = json.loads(chosen.recv(timeout=5))
        assert error["type"] == "error" and error["message"]
    assert {m["sessionId"] for m in received} == {mine}
    assert {m["sessionId"] for m in all_received} >= {mine, other}, "the default subscription should see both sessions"
    assert sum(1 for m in all_received if m["sessionId"] == other and m["state"]["status"] == "completed") == 1


def test_the_websocket_needs_the_token_when_one_is_set(start_server):
    server = start_server(token="s3cret-token")
    sid = server.create({"strategy": "sma-cross", "data": {"symbol": "BTCUSDT", "timeframe": "1h"}})
    with connect(server.ws_url + "?token=s3cret-token", max_queue=None) as ws:
        subscribe(ws, sid)
        server.ok("POST", f"/api/backtest/{sid}/start")
        assert read_until_final(ws, sid)[-1]["state"]["status"] == "completed"
    with connect(server.ws_url, additional_headers={"Authorization": "Bearer s3cret-token"}, max_queue=None) as ws:
        ws.send("not json")
        assert json.loads(ws.recv(timeout=5))["type"] == "error"
    statuses = []
    for url in (server.ws_url, server.ws_url + "?token=wrong"):
        with pytest.raises(InvalidStatus) as refused:
            with connect(url):
                pass
        statuses.append(refused.value.response.status_code)
    # Refused without upgrading. hummingbird-websocket turns any error raised while deciding an
    # upgrade (our 401) into "do not upgrade", which NIO answers with a bare 400: documented in
    # docs/http-api.md; plain HTTP requests to /ws get the 401 JSON error.
    assert statuses == [400, 400], statuses
    plain = server.request("GET", "/ws", auth=False)
    assert plain.status == 401 and json.loads(plain.body)["error"]["code"] == "unauthorized"


def test_stopped_and_failed_runs_send_one_final_message_with_the_error(server):
    boom = "-- @name Boom\nfunction on_bar(ctx, bar)\n  if ctx.index == 50 then error(\"boom\") end\nend\n"
    stopped = server.create(lua_run("15m", 1))
    failed = server.create({"code": boom, "name": "boom", "data": {"symbol": "BTCUSDT", "timeframe": "15m"}, "stateEvery": 1,
                           "stateIntervalMs": 0})
    with connect(server.ws_url, max_queue=None) as ws:
        subscribe(ws, stopped, failed)
        server.ok("POST", f"/api/backtest/{stopped}/start")
        server.wait_progress(stopped, 50)
        server.ok("POST", f"/api/backtest/{stopped}/stop")
        stop_messages = read_until_final(ws, stopped)
        server.ok("POST", f"/api/backtest/{failed}/start")
        fail_messages = read_until_final(ws, failed)
        late = read_for(ws, 1.0)
    messages = stop_messages + fail_messages + late
    finals = [m for m in messages if m["state"]["status"] in FINAL]
    assert [(m["sessionId"], m["state"]["status"]) for m in finals] == [(stopped, "stopped"), (failed, "failed")]
    stop_final, fail_final = finals
    session = server.session(stopped)
    assert stop_final["state"]["currentCandleIndex"] == session["currentCandleIndex"] < 960
    assert stop_final.get("error") is None
    error = server.session(failed)["error"]
    assert fail_final["error"] == error, (fail_final.get("error"), error)
    assert "boom" in error["message"] and "boom.lua:3" in error["message"], error
