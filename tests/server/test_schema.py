"""The OpenAPI document against a real server: every path and method of
`Sources/TradelabServer/Resources/openapi.json` is called, and every JSON response (errors
included) is validated against the schema the document declares for its path, method and status;
request bodies are validated against the declared request schema, and every WebSocket message type
the document declares is received and validated. The component schemas are closed
(`additionalProperties: false`, `required` = the keys always present), so a key renamed, added or
dropped on either side fails here.

The tests share one server and run in file order: the last ones check that every (path, method)
was exercised and that the served document is the source file.
"""
import copy
import json
import shutil
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from websockets.sync.client import connect

from .conftest import ROOT, Server, free_port
from .test_live import read_for
from .test_strategies import CODE

DOCUMENT_PATH = ROOT / "Sources" / "TradelabServer" / "Resources" / "openapi.json"
DOCUMENT = json.loads(DOCUMENT_PATH.read_text())
BASE = "urn:tradelab:openapi"
REGISTRY = Registry().with_resource(BASE, Resource(contents=DOCUMENT, specification=DRAFT202012))
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
FINAL = ("completed", "stopped", "failed")

# (path template, method) of every request made, compared with the document at the end.
EXERCISED: set[tuple[str, str]] = set()
# Real bodies kept for the negative checks.
SAMPLES: dict[str, tuple[str, object]] = {}

BTC_1H = {"symbol": "BTCUSDT", "timeframe": "1h"}
LUA_SMA = {"strategy": "examples/sma_cross", "params": {"fast": 10, "slow": 30}, "account": {"commission": 0.001}}
MINE = CODE   # a saved strategy with a declared parameter
BROKEN = "-- @name Broken\nfunction on_bar(ctx, bar)\n  if bar.close > then\n    return \"buy\"\n  end\nend\n"
BOOM = "-- @name Boom\nfunction on_bar(ctx, bar)\n  if ctx.index == 50 then error(\"boom\") end\nend\n"


# ---------------------------------------------------------------------------------------------
# The document as a validator


def pointer(*parts: str) -> str:
    """A JSON pointer into the document (`~` and `/` escaped)."""
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def resolve(node: dict, location: str) -> tuple[dict, str]:
    """Follows a local `$ref` (responses, request bodies); the target and its pointer."""
    while "$ref" in node:
        location = node["$ref"]
        node = DOCUMENT
        for part in location[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node, location


def validator(location: str) -> Draft202012Validator:
    """A validator of the schema at `location` (`#/components/schemas/Session`, ...), its refs resolved in the document."""
    return Draft202012Validator({"$ref": BASE + location}, registry=REGISTRY)


def schema_errors(location: str, value) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator(location).iter_errors(value)]


def assert_valid(location: str, value, what: str):
    errors = schema_errors(location, value)
    assert not errors, f"{what} does not match {location}:\n  " + "\n  ".join(errors[:20])


def operation(template: str, method: str) -> dict:
    assert template in DOCUMENT["paths"], f"{template} is not in the document"
    operations = DOCUMENT["paths"][template]
    assert method in operations, f"{method.upper()} {template} is not in the document"
    return operations[method]


def content_schema(content: dict, media_type: str, location: str) -> str | None:
    """The pointer of the schema declared for a response's Content-Type (exact, else by media type)."""
    def at(declared: str) -> str:
        return location + "/content/" + declared.replace("~", "~0").replace("/", "~1") + "/schema"

    if media_type in content:
        return at(media_type)
    base = media_type.split(";")[0].strip()
    for declared in content:
        if declared.split(";")[0].strip() == base:
            return at(declared)
    return None


# ---------------------------------------------------------------------------------------------
# A client that checks every exchange against the document


class API:
    def __init__(self, server: Server):
        self.server = server

    def call(self, method: str, template: str, params: dict | None = None, query: dict | None = None, body=None,
             *, raw: bytes | None = None, status: int | None = None, valid_request: bool = True):
        """Sends a request to `template` (filled with `params`), checks the request body and the response
        against the document, and returns the response. `valid_request=False`: the body is meant to break the
        declared request schema (checked), to provoke an error."""
        method = method.lower()
        op = operation(template, method)
        EXERCISED.add((template, method))
        path = template
        for key, value in (params or {}).items():
            path = path.replace("{" + key + "}", quote(str(value), safe=""))
        assert "{" not in path, path
        if query:
            path += "?" + urlencode(query)
        if body is not None:
            assert "requestBody" in op, f"{method.upper()} {template} declares no request body"
            request_body, location = resolve(op["requestBody"], pointer("paths", template, method, "requestBody"))
            assert "application/json" in request_body["content"], request_body
            errors = schema_errors(location + "/content/application~1json/schema", body)
            if valid_request:
                assert not errors, f"request body of {method.upper()} {template} breaks the document: {errors}"
            else:
                assert errors, f"request body of {method.upper()} {template} was meant to break the document: {body}"
        response = self.server.request(method.upper(), path, body, raw=raw)
        if status is not None:
            assert response.status == status, f"{method.upper()} {path} -> {response.status} (expected {status}): {response.body[:500]!r}"
        declared = op["responses"].get(str(response.status))
        assert declared is not None, f"{method.upper()} {template} answered {response.status}, which the document does not declare"
        declared, location = resolve(declared, pointer("paths", template, method, "responses", str(response.status)))
        content = declared.get("content")
        if not content:
            assert response.body == b"", f"{method.upper()} {path} -> {response.status} declares no body but sent {response.body[:200]!r}"
            return response
        media_type = response.headers.get("content-type", "")
        schema = content_schema(content, media_type, location)
        assert schema, f"{method.upper()} {path} -> {response.status} sent {media_type!r}, not one of {sorted(content)}"
        if media_type.startswith("application/json"):
            assert_valid(schema, response.json, f"{method.upper()} {path} -> {response.status}")
        return response

    def ok(self, method: str, template: str, params=None, query=None, body=None, status: int = 200, sample: str | None = None):
        """The JSON of a call that must answer `status`; kept as a sample under `sample`."""
        response = self.call(method, template, params, query, body, status=status)
        value = response.json if response.body else None
        if sample:
            op = operation(template, method.lower())
            declared, location = resolve(op["responses"][str(status)], pointer("paths", template, method.lower(), "responses", str(status)))
            SAMPLES[sample] = (location + "/content/application~1json/schema", value)
        return value

    def error(self, method: str, template: str, status: int, code: str | None = None, **kw) -> dict:
        """A call that must fail with `status` (and `code`), its body validated as the document says (`Error`)."""
        response = self.call(method, template, status=status, **kw)
        body = response.json
        assert_valid("#/components/schemas/Error", body, f"{method} {template} -> {status}")
        if code:
            assert body["error"]["code"] == code, body
        return body["error"]

    def wait(self, sid: str, statuses=FINAL, timeout: float = 60) -> dict:
        deadline = time.time() + timeout
        while True:
            session = self.ok("GET", "/api/backtest/{id}", {"id": sid})
            if session["status"] in statuses:
                return session
            assert time.time() < deadline, f"{sid} still {session['status']} after {timeout} s"
            time.sleep(0.03)

    def wait_progress(self, sid: str, bars: int, timeout: float = 60) -> dict:
        deadline = time.time() + timeout
        while True:
            status = self.ok("GET", "/api/backtest/{id}/status", {"id": sid})
            if status["status"] == "running" and status["currentCandleIndex"] >= bars:
                return status
            assert status["status"] in ("queued", "running"), status
            assert time.time() < deadline, status
            time.sleep(0.01)

    def run(self, request: dict, timeout: float = 60) -> tuple[str, dict]:
        sid = self.ok("POST", "/api/backtest/run", body=request, status=202)["id"]
        return sid, self.wait(sid, timeout=timeout)


@pytest.fixture(scope="module")
def api(tmp_path_factory, tradelab_bin, sample_data):
    """One server for the whole module (the tests build on each other's runs)."""
    base = tmp_path_factory.mktemp("schema")
    strategies = base / "strategies"
    shutil.copytree(ROOT / "strategies", strategies)
    dirs = {"data": sample_data, "strategies": strategies, "state": base / "state"}
    server = Server(tradelab_bin, free_port(), dirs, ["--spare-workers", "0", "--max-workers", "4"], base / "server.log", None)
    try:
        yield API(server.wait_ready())
    finally:
        server.kill()


# ---------------------------------------------------------------------------------------------
# WebSocket


def ws_message_schemas() -> dict[str, str]:
    """Server -> client message types the document declares (`x-websocket-messages`), by `type`."""
    declared = operation("/ws", "get")["x-websocket-messages"]["serverToClient"]
    out = {}
    for option in declared["oneOf"]:
        schema, location = resolve({"$ref": option["$ref"]}, option["$ref"])
        out[schema["properties"]["type"]["const"]] = location
    return out


def ws_client_schema() -> str:
    return operation("/ws", "get")["x-websocket-messages"]["clientToServer"]["$ref"]


def ws_send(ws, message):
    """Sends a client message; dicts are validated against the declared client message schema first."""
    if isinstance(message, dict):
        assert_valid(ws_client_schema(), message, "WebSocket client message")
        message = json.dumps(message)
    ws.send(message)


def ws_until_finals(ws, sessions: set[str], timeout: float = 60) -> list[dict]:
    """Messages until every session in `sessions` had its final message."""
    messages, waiting, deadline = [], set(sessions), time.time() + timeout
    while waiting:
        remaining = deadline - time.time()
        assert remaining > 0, f"no final message for {waiting} within {timeout} s"
        message = json.loads(ws.recv(timeout=remaining))
        messages.append(message)
        if message.get("type") == "backtest_state_update" and message["state"]["status"] in FINAL:
            waiting.discard(message["sessionId"])
    return messages


# ---------------------------------------------------------------------------------------------
# Tests


def test_the_document_is_openapi_3_1_for_version_0_3_with_closed_object_schemas():
    assert DOCUMENT["openapi"].startswith("3.1") and DOCUMENT["info"]["version"] == "0.3.0"
    for name, schema in DOCUMENT["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        if schema.get("type") == "object" and "additionalProperties" not in schema:
            pytest.fail(f"component {name} is an open object: add additionalProperties: false")
        for key in schema.get("required", []):
            assert key in schema.get("properties", {}), f"{name} requires {key}, which it does not describe"


def test_engine_reference_data_strategies_and_templates(api):
    api.ok("GET", "/api/engine", sample="engine")
    symbols = api.ok("GET", "/api/symbols", sample="symbols")
    assert symbols["datasets"] and all(d["curated"] for d in symbols["datasets"])
    assert api.ok("GET", "/api/openapi.json") is not None

    history = api.ok("GET", "/api/history/{symbol}", {"symbol": "ETHUSDT"},
                     {"interval": "1h", "start": "2024-01-02", "end": "2024-01-04", "maxPoints": 20}, sample="history")
    assert history["downsampled"] and history["sourceCount"] == 48
    with_rsi = api.ok("GET", "/api/history/{symbol}", {"symbol": "ETHUSDT"},
                      {"interval": "1h", "start": "2024-01-02", "end": "2024-01-04", "indicators": "rsi:14"})
    assert with_rsi["indicators"][0]["outputs"] == ["rsi_14"] and len(with_rsi["indicators"][0]["values"][0]) == 48
    api.error("GET", "/api/history/{symbol}", 400, "invalid_value", params={"symbol": "ETHUSDT"}, query={"interval": "7m"})
    api.error("GET", "/api/history/{symbol}", 404, "not_found", params={"symbol": "NOPE"})

    listing = api.ok("GET", "/api/strategies", sample="strategies")
    assert {"examples/sma_cross", "templates/macd"} <= {s["name"] for s in listing["strategies"]}
    assert all("code" not in s for s in listing["strategies"])
    templates = api.ok("GET", "/api/templates", sample="templates")["templates"]
    assert templates and all(t["name"].startswith("templates/") for t in templates)

    created = api.ok("POST", "/api/strategies", body={"name": "schema/mine", "code": MINE}, status=201, sample="strategy")
    assert created["name"] == "schema/mine" and created["code"] == MINE and created["isValid"]
    api.error("POST", "/api/strategies", 409, "conflict", body={"name": "schema/mine", "code": MINE})
    api.error("POST", "/api/strategies", 400, "invalid_name", body={"name": "../escape", "code": MINE})
    api.error("POST", "/api/strategies", 400, "unknown_field", body={"name": "x", "code": MINE, "colour": "red"}, valid_request=False)
    got = api.ok("GET", "/api/strategies/{name}", {"name": "schema/mine"})
    assert got["metadata"]["params"][0]["name"] == "period"
    api.error("GET", "/api/strategies/{name}", 404, "not_found", params={"name": "schema/none"})
    renamed = api.ok("PUT", "/api/strategies/{name}", {"name": "schema/mine"}, body={"code": BROKEN, "newName": "schema/broken"})
    assert renamed["name"] == "schema/broken" and not renamed["isValid"] and "style" not in renamed
    report = api.ok("POST", "/api/strategies/{name}/validate", {"name": "schema/broken"}, sample="validation")
    assert not report["isValid"] and report["diagnostics"][0]["severity"] == "error"
    api.error("POST", "/api/strategies/{name}/validate", 404, "not_found", params={"name": "schema/none"})
    unsaved = api.ok("POST", "/api/strategies/validate", body={"code": MINE, "name": "mine"})
    assert unsaved["isValid"] and unsaved["style"] == "on_bar" and unsaved["fileName"] == "mine.lua"
    api.error("POST", "/api/strategies/validate", 400, "invalid_json", raw=b"{not json")
    assert api.call("DELETE", "/api/strategies/{name}", {"name": "schema/broken"}, status=204).body == b""
    api.error("DELETE", "/api/strategies/{name}", 404, "not_found", params={"name": "schema/broken"})
    api.error("PUT", "/api/strategies/{name}", 404, "not_found", params={"name": "schema/broken"}, body={"code": MINE})


def test_backtests_results_artifacts_and_live_messages(api):
    ws_types = ws_message_schemas()
    received: list[dict] = []
    with connect(api.server.ws_url, max_queue=None) as ws:
        EXERCISED.add(("/ws", "get"))
        ws_send(ws, {"type": "subscribe_all"})

        # A built-in strategy with a buy-and-hold baseline.
        native, session = api.run({"strategy": "sma-cross", "data": BTC_1H, "baseline": "buy-and-hold"})
        assert session["status"] == "completed" and session["summary"]["baseline"]["name"] == "buy-and-hold"
        assert "equity" not in session["summary"] and "trades" not in session["summary"]
        results = api.ok("GET", "/api/backtest/{id}/results", {"id": native}, sample="results")
        assert results["id"] == native and results["tradesTotal"] == len(results["trades"]) >= 2
        assert results["data"]["source"] == f"BTCUSDT ({api.server.data_dir.name})" and results["data"]["symbol"] == "BTCUSDT"
        assert set(results["timings"]) == {"loadMs", "indicatorsMs", "engineMs", "totalMs"}
        thin = api.ok("GET", "/api/backtest/{id}/results", {"id": native}, {"maxPoints": 20, "tradesLimit": 1})
        assert len(thin["trades"]) == 1 and thin["tradesTotal"] == results["tradesTotal"] and len(thin["equity"]["time"]) <= 20
        whole = api.ok("GET", "/api/backtest/{id}/results", {"id": native}, {"maxPoints": 0})
        assert len(whole["equity"]["time"]) == 240
        api.error("GET", "/api/backtest/{id}/results", 400, "invalid_value", params={"id": native}, query={"maxPoints": -1})
        equity = api.ok("GET", "/api/backtest/{id}/equity", {"id": native}, {"maxPoints": 50})
        assert 2 <= len(equity["time"]) <= 50 and "drawdown" in equity
        page = api.ok("GET", "/api/backtest/{id}/trades", {"id": native}, {"offset": 1, "limit": 2}, sample="trades")
        assert page["total"] == results["tradesTotal"] and page["trades"] == results["trades"][1:3]
        api.error("GET", "/api/backtest/{id}/trades", 400, "invalid_value", params={"id": native}, query={"limit": 0})
        candles = api.ok("GET", "/api/backtest/{id}/candles", {"id": native}, {"maxPoints": 100})
        assert candles["sourceCount"] == 240 and candles["count"] <= 100
        assert results["indicators"] == ["sma:10", "sma:20"]
        window = api.ok("GET", "/api/backtest/{id}/candles", {"id": native},
                        {"start": "2024-01-03", "end": "2024-01-04", "maxPoints": 10, "indicators": "rsi:14;macd;bbands:20,2"})
        assert window["sourceCount"] == 24 and [i["pane"] for i in window["indicators"]] == ["pane", "pane", "price"]
        api.error("GET", "/api/backtest/{id}/candles", 400, "invalid_value", params={"id": native}, query={"indicators": "nope"})
        assert api.ok("GET", "/api/backtest/{id}/status", {"id": native}, sample="status")["progressPercent"] == 100
        for name in results["artifacts"]:
            response = api.call("GET", "/api/backtest/{id}/artifacts/{file}", {"id": native, "file": name}, status=200)
            assert f'filename="{native}-{name}"' in response.headers["content-disposition"]
        summary = api.call("GET", "/api/backtest/{id}/artifacts/{file}", {"id": native, "file": "summary.json"}).json
        assert summary == session["summary"]
        api.error("GET", "/api/backtest/{id}/artifacts/{file}", 404, params={"id": native, "file": "nothing.txt"})
        api.error("GET", "/api/backtest/{id}/artifacts/{file}", 400, "invalid_path", params={"id": native, "file": ".hidden"})

        # A previous run as baseline, a Lua strategy, inline Lua code.
        compared, _ = api.run({"strategy": "buy-and-hold", "data": BTC_1H, "baseline": native})
        baseline = api.ok("GET", "/api/backtest/{id}/results", {"id": compared})["baseline"]
        assert baseline["runId"] == native and baseline["name"] == results["strategy"]
        lua, session = api.run({**LUA_SMA, "data": BTC_1H, "stateEvery": 5})
        assert session["status"] == "completed" and session["request"]["strategy"] == "examples/sma_cross"
        api.ok("GET", "/api/backtest/{id}/results", {"id": lua}, {"tradesLimit": 0})
        inline, session = api.run({"code": MINE, "name": "inline", "params": {"period": 10}, "data": BTC_1H,
                                   "account": {"stopLossPercent": 1, "takeProfitPercent": 3, "allowShort": None}})
        assert session["status"] == "completed" and session["summary"]["account"]["stopLossFraction"] == 0.01
        protected = api.ok("GET", "/api/backtest/{id}/results", {"id": inline}, sample="protected")["trades"]
        assert protected and all("stopLoss" in t and "takeProfit" in t for t in protected)

        # A randomized run with its buy-and-hold baseline.
        randomized, session = api.run({"strategy": "sma-cross", "data": BTC_1H, "baseline": "buy-and-hold",
                                       "randomized": {"runs": 4, "duration": "3d", "seed": 7}})
        assert session["status"] == "completed"
        rr = api.ok("GET", "/api/backtest/{id}/results", {"id": randomized}, {"maxPoints": 30}, sample="randomized")
        assert "metrics" not in rr and rr["randomized"]["runs"] == 4 and len(rr["runs"]) == len(rr["baseline"]["runs"]) == 4
        assert "runs.csv" in rr["artifacts"]
        for name in ("runs.csv", "results.json", "trades.parquet"):
            api.call("GET", "/api/backtest/{id}/artifacts/{file}", {"id": randomized, "file": name}, status=200)

        # Pause, resume and stop a running Lua strategy.
        paused = api.ok("POST", "/api/backtest/run", body={**LUA_SMA, "data": {"symbol": "BTCUSDT", "timeframe": "5m"},
                                                          "stateEvery": 1, "stateIntervalMs": 0}, status=202)["id"]
        api.error("GET", "/api/backtest/{id}/results", 409, "invalid_state", params={"id": paused})
        api.wait_progress(paused, 100)
        assert api.ok("POST", "/api/backtest/{id}/pause", {"id": paused})["status"] in ("pausing", "paused")
        assert api.wait(paused, ("paused",))["status"] == "paused"
        api.error("POST", "/api/backtest/{id}/pause", 409, "invalid_state", params={"id": paused})
        assert api.ok("POST", "/api/backtest/{id}/resume", {"id": paused})["status"] == "running"
        api.wait_progress(paused, 300)
        assert api.ok("POST", "/api/backtest/{id}/stop", {"id": paused})["status"] in ("stopping", "stopped")
        stopped = api.wait(paused)
        assert stopped["status"] == "stopped" and stopped["summary"]["status"] == "stopped"
        api.error("POST", "/api/backtest/{id}/resume", 409, "invalid_state", params={"id": paused})
        api.error("POST", "/api/backtest/{id}/stop", 409, "invalid_state", params={"id": paused})
        assert api.ok("GET", "/api/backtest/{id}/results", {"id": paused})["status"] == "stopped"

        # An idle session, started; another stopped while idle (no results), then deleted.
        idle = api.ok("POST", "/api/backtest/create", body={"strategy": "sma-cross", "data": BTC_1H, "name": "idle one"}, status=201)
        assert idle["status"] == "idle" and idle["request"]["name"] == "idle one"
        assert api.ok("POST", "/api/backtest/{id}/start", {"id": idle["id"]})["status"] in ("queued", "running")
        api.error("POST", "/api/backtest/{id}/start", 409, "invalid_state", params={"id": idle["id"]})
        never = api.ok("POST", "/api/backtest/create", body={"strategy": "sma-cross", "data": BTC_1H}, status=201)["id"]
        assert api.ok("POST", "/api/backtest/{id}/stop", {"id": never})["status"] == "stopped"
        api.error("GET", "/api/backtest/{id}/results", 404, "not_found", params={"id": never})
        assert api.call("DELETE", "/api/backtest/{id}", {"id": never}, status=204).body == b""
        api.error("DELETE", "/api/backtest/{id}", 404, "not_found", params={"id": never})
        api.error("GET", "/api/backtest/{id}", 404, "not_found", params={"id": never})
        api.error("GET", "/api/backtest/{id}/status", 404, "not_found", params={"id": never})

        # A failed run: its session and final message carry the error.
        failed = api.ok("POST", "/api/backtest/run", body={"code": BOOM, "name": "boom", "data": BTC_1H}, status=202)["id"]
        failure = api.wait(failed)
        assert failure["status"] == "failed" and failure["error"]["code"] == "strategy_error", failure
        api.error("GET", "/api/backtest/{id}/results", 409, "invalid_state", params={"id": failed})
        assert api.wait(idle["id"])["status"] == "completed"

        # Refused requests.
        api.error("POST", "/api/backtest/run", 400, "unknown_field", body={"strategy": "sma-cross", "data": BTC_1H, "colour": 1},
                  valid_request=False)
        api.error("POST", "/api/backtest/run", 404, "not_found", body={"strategy": "sma-cross", "data": {"symbol": "NOPE", "timeframe": "1h"}})
        api.error("POST", "/api/backtest/run", 422, "invalid_strategy", body={"code": BROKEN, "data": BTC_1H})
        api.error("POST", "/api/backtest/create", 400, "invalid_value", body={"data": BTC_1H})
        api.error("POST", "/api/backtest/run", 409, "invalid_state", body={"strategy": "sma-cross", "data": BTC_1H, "baseline": failed})

        # Lists.
        sessions = api.ok("GET", "/api/backtest", query={"limit": 50}, sample="sessions")["sessions"]
        assert {native, lua, randomized, paused, failed} <= {s["id"] for s in sessions} and all("request" not in s for s in sessions)
        assert [s["id"] for s in api.ok("GET", "/api/backtest", query={"status": "failed"})["sessions"]] == [failed]
        api.error("GET", "/api/backtest", 400, "invalid_value", query={"status": "bogus"})
        api.ok("GET", "/api/backtest/{id}", {"id": lua}, sample="session")

        # The WebSocket: an unknown message is answered with an error; then every final message.
        ws_send(ws, "not json")
        received += ws_until_finals(ws, {native, compared, lua, inline, randomized, paused, idle["id"], never, failed})
        received += read_for(ws, 0.5)

    # A plain GET without upgrade headers.
    api.call("GET", "/ws", status=200)

    seen = {}
    for message in received:
        assert message.get("type") in ws_types, f"undeclared WebSocket message type: {message}"
        assert_valid(ws_types[message["type"]], message, f"WebSocket {message['type']} message")
        seen.setdefault(message["type"], message)
    expected = set(ws_types) - {"optimization_update"}   # received in the optimization test below
    assert set(seen) == expected, f"declared WebSocket messages never received: {expected - set(seen)}"
    SAMPLES["live"] = (ws_types["backtest_state_update"], next(
        m for m in received if m["type"] == "backtest_state_update" and m["state"]["recentTrades"] and m["state"]["recentSignals"]))
    updates = [m for m in received if m["type"] == "backtest_state_update"]
    statuses = {m["state"]["status"] for m in updates}
    assert {"running", "paused", "completed", "stopped", "failed"} <= statuses, statuses
    fail_final = [m for m in updates if m["sessionId"] == failed and m["state"]["status"] == "failed"]
    assert len(fail_final) == 1 and fail_final[0]["error"] == failure["error"]
    assert all("error" not in m for m in updates if m["sessionId"] != failed)


FLAKY = ("-- @name Flaky\n-- @param p 3 [1, 10]\nfunction on_bar(ctx, bar)\n"
         "  if params.p == 2 and ctx.index == 5 then error(\"two is bad\") end\n"
         "  if ctx.index % (params.p * 10) == 0 then return \"buy\" end\n"
         "  if ctx.index % (params.p * 10) == 5 then return \"sell\" end\nend\n")


def wait_optimization(api, oid: str, statuses=FINAL, timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while True:
        view = api.ok("GET", "/api/optimize/{id}", {"id": oid})
        if view["status"] in statuses:
            return view
        assert time.time() < deadline, f"{oid} still {view['status']} after {timeout} s"
        time.sleep(0.05)


def test_optimizations_results_and_their_live_messages(api):
    ws_types = ws_message_schemas()
    grid_body = {"strategy": "sma-cross", "data": BTC_1H, "paramRanges": {"fast": "5:20:5", "slow": [20, 40, 60]},
                 "constraints": ["fast<slow"], "monteCarlo": 50, "walkForward": {"folds": 2}, "progressIntervalMs": 0}
    with connect(api.server.ws_url, max_queue=None) as ws:
        ws_send(ws, {"type": "subscribe_all"})
        grid = api.ok("POST", "/api/optimize", body=grid_body, status=202)["id"]
        genetic = api.ok("POST", "/api/optimize", status=202, body={
            "strategy": "sma-cross", "data": BTC_1H, "paramRanges": {"fast": "2:30:1", "slow": "10:100:5"}, "method": "genetic",
            "population": 8, "generations": 3, "objective": "maxDrawdown", "minTrades": 2, "name": "genetic"})["id"]
        flaky = api.ok("POST", "/api/optimize", status=202, body={"code": FLAKY, "data": BTC_1H, "paramRanges": {"p": "1:4:1"},
                                                                  "method": "random", "trials": 4, "seed": 1})["id"]
        long = api.ok("POST", "/api/optimize", status=202, body={
            "strategy": "examples/sma_cross", "data": {"symbol": "ETHUSDT", "timeframe": "1m"},
            "paramRanges": {"fast": "2:60:1", "slow": "20:200:2"}})["id"]
        for oid in (grid, genetic, flaky):
            assert wait_optimization(api, oid)["status"] == "completed"
        api.error("GET", "/api/optimize/{id}/results", 409, "invalid_state", params={"id": long})
        wait_optimization(api, long, ("running",))
        assert api.ok("POST", "/api/optimize/{id}/stop", {"id": long})["status"] in ("stopping", "stopped")
        assert wait_optimization(api, long)["status"] == "stopped"
        api.error("POST", "/api/optimize/{id}/stop", 409, "invalid_state", params={"id": long})
        received = read_for(ws, 0.5)

    results = api.ok("GET", "/api/optimize/{id}/results", {"id": grid}, sample="optimization results")
    compared, _ = api.run({"strategy": "buy-and-hold", "data": BTC_1H, "baseline": grid})
    model = api.ok("GET", "/api/backtest/{id}/results", {"id": compared}, sample="model baseline")["baseline"]
    assert model["optimizationId"] == grid and model["name"].startswith("sma-cross(")
    assert results["walkForward"]["windows"] and results["monteCarlo"]["simulations"] == 50 and results["guards"]["trials"] == 11
    bred = api.ok("GET", "/api/optimize/{id}/results", {"id": genetic}, sample="genetic results")
    assert bred["generations"] and bred["objective"] == "maxDrawdown"
    failing = api.ok("GET", "/api/optimize/{id}/results", {"id": flaky}, sample="flaky results")
    assert any("rejected" in t for t in failing["trials"])
    assert api.ok("GET", "/api/optimize/{id}/results", {"id": long})["cancelled"] is True
    view = api.ok("GET", "/api/optimize/{id}", {"id": genetic}, sample="optimization")
    assert view["generations"] == bred["generations"] and view["best"] == bred["best"]
    listing = api.ok("GET", "/api/optimize", query={"status": "completed", "limit": 10}, sample="optimizations")
    assert {o["id"] for o in listing["optimizations"]} == {grid, genetic, flaky}
    api.error("GET", "/api/optimize", 400, "invalid_value", query={"status": "bogus"})
    api.error("POST", "/api/optimize", 400, "invalid_value", body={**grid_body, "paramRanges": {"fast": "5:50:0"}})
    api.error("POST", "/api/optimize", 400, "unknown_field", body={**grid_body, "colour": 1}, valid_request=False)
    api.error("POST", "/api/optimize", 404, "not_found", body={**grid_body, "strategy": "nope"})
    assert api.call("DELETE", "/api/optimize/{id}", {"id": long}, status=204).body == b""
    for method, template in (("GET", "/api/optimize/{id}"), ("GET", "/api/optimize/{id}/results"),
                             ("POST", "/api/optimize/{id}/stop"), ("DELETE", "/api/optimize/{id}")):
        api.error(method, template, 404, "not_found", params={"id": long})

    updates = [m for m in received if m.get("type") == "optimization_update"]
    for message in received:
        assert message.get("type") in ws_types, f"undeclared WebSocket message type: {message}"
        assert_valid(ws_types[message["type"]], message, f"WebSocket {message['type']} message")
    assert {m["optimizationId"] for m in updates} == {grid, genetic, flaky, long}
    finals = {m["optimizationId"]: m["status"] for m in updates if m["status"] in FINAL}
    assert finals == {grid: "completed", genetic: "completed", flaky: "completed", long: "stopped"}
    SAMPLES["optimization live"] = (ws_types["optimization_update"], next(
        m for m in updates if m["optimizationId"] == genetic and m["status"] == "running" and m.get("generations") and m.get("best")))


# The negative checks: real bodies, altered, must fail their schema.


def alter_rename(value: dict, path: list) -> dict:
    value = copy.deepcopy(value)
    target = value
    for key in path[:-1]:
        target = target[key]
    target[path[-1] + "X"] = target.pop(path[-1])
    return value


def alter_add(value: dict, path: list) -> dict:
    value = copy.deepcopy(value)
    target = value
    for key in path:
        target = target[key]
    target["unexpectedKey"] = 1
    return value


def alter_drop(value: dict, path: list) -> dict:
    value = copy.deepcopy(value)
    target = value
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return value


OPTIONAL = {("optimization results", "guards.deflatedSharpe"), ("model baseline", "baseline.optimizationId"), ("flaky results", "trials.1.rejected"),
            ("protected", "account.stopLossFraction"), ("protected", "trades.0.stopLoss"), ("live", "state.currentTime")}
CASES = [
    # (sample, path to a key; the object holding it is also checked with an unknown key)
    ("engine", ["workers", "busy"]),
    ("symbols", ["datasets", 0, "file"]),
    ("history", ["sourceCount"]),
    ("strategies", ["strategies", 0, "metadata", "params"]),
    ("strategy", ["contextFields"]),
    ("validation", ["diagnostics", 0, "severity"]),
    ("templates", ["templates", 0, "title"]),
    ("session", ["summary", "timings", "totalMs"]),
    ("session", ["request", "data"]),
    ("sessions", ["sessions", 0, "progressPercent"]),
    ("status", ["timeLimitSeconds"]),
    ("results", ["tradesTotal"]),
    ("results", ["data", "source"]),
    ("results", ["metrics", "sharpeRatio"]),
    ("results", ["metrics", "monthlyReturns", 0, "return"]),
    ("results", ["trades", 0, "exitReason"]),
    ("results", ["runs", 0, "metrics"]),
    ("results", ["baseline", "totalReturn"]),
    ("results", ["account", "sizing", "fractionOfEquity", "_0"]),
    ("randomized", ["randomized", "meanReturn"]),
    ("randomized", ["baseline", "runs", 0, "bars"]),
    ("trades", ["trades", 0, "pnlPercent"]),
    ("model baseline", ["baseline", "optimizationId"]),
    ("optimization results", ["trials", 0, "metrics", "sharpeRatio"]),
    ("optimization results", ["guards", "deflatedSharpe"]),
    ("optimization results", ["walkForward", "windows", 0, "outOfSample"]),
    ("optimization results", ["monteCarlo", "shuffle", "finalEquity"]),
    ("optimization results", ["data", "bars"]),
    ("genetic results", ["generations", 0, "evaluated"]),
    ("flaky results", ["trials", 1, "rejected"]),
    ("optimization", ["trialsTotal"]),
    ("optimization", ["best", "params"]),
    ("optimization", ["request", "paramRanges"]),
    ("optimizations", ["optimizations", 0, "progressPercent"]),
    ("optimization live", ["trialsDone"]),
    ("optimization live", ["generations", 0, "generation"]),
    # Optional keys: renaming one or adding a key fails, dropping it does not.
    ("protected", ["account", "stopLossFraction"]),
    ("protected", ["trades", 0, "stopLoss"]),
    ("live", ["state", "currentTime"]),
    ("live", ["state", "maxDrawdown"]),
    ("live", ["state", "recentTrades", 0, "mae"]),
    ("live", ["state", "recentSignals", 0, "signalIndex"]),
    ("live", ["state", "metrics", "equityCurve", 0, "value"]),
]


@pytest.mark.parametrize("sample, path", CASES, ids=[f"{s}:{'.'.join(map(str, p))}" for s, p in CASES])
def test_the_validator_refuses_a_renamed_added_or_dropped_key(sample, path):
    assert sample in SAMPLES, f"no {sample} sample: the tests above must run first"
    location, value = SAMPLES[sample]
    assert_valid(location, value, f"the {sample} sample")
    dotted = ".".join(map(str, path))
    for alter, target in ((alter_rename, path), (alter_drop, path), (alter_add, path[:-1])):
        errors = schema_errors(location, alter(value, target))
        if alter is alter_drop and (sample, dotted) in OPTIONAL:
            assert not errors, f"{dotted} is optional (omitted when absent), yet dropping it fails: {errors}"
        else:
            assert errors, f"{alter.__name__} of {'.'.join(map(str, target))} in {sample} still validates"


def test_non_finite_metrics_are_strings_and_other_strings_are_refused():
    location, value = SAMPLES["results"]
    infinite = copy.deepcopy(value)
    infinite["metrics"]["profitFactor"] = "Infinity"
    infinite["metrics"]["sqn"] = "NaN"
    assert_valid(location, infinite, "results with non-finite metrics")
    infinite["metrics"]["sharpeRatio"] = "huge"
    assert schema_errors(location, infinite)
    wrong = copy.deepcopy(value)
    wrong["status"] = "running"
    assert schema_errors(location, wrong)


def test_every_documented_operation_was_exercised():
    documented = {(path, method) for path, item in DOCUMENT["paths"].items() for method in item if method in METHODS}
    assert documented - EXERCISED == set(), f"never called: {sorted(documented - EXERCISED)}"
    assert EXERCISED - documented == set(), f"called but not documented: {sorted(EXERCISED - documented)}"


def test_the_served_document_is_the_source_file(api):
    # Fails until the server binary is rebuilt after an edit of the document (it is bundled).
    served = api.server.request("GET", "/api/openapi.json")
    assert served.status == 200 and served.is_json
    assert served.json == DOCUMENT, "the server serves another openapi.json than the source: rebuild it"
