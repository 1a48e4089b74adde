"""Hostile and broken input: path traversal on strategy names and artifacts, oversize and
malformed bodies, unknown fields and routes, and the token."""
import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from .conftest import free_port

DATA = {"symbol": "BTCUSDT", "timeframe": "1h"}
SECRET = "SECRET-CONTENT-must-never-be-served"
VALID = "-- @name Fine\nfunction on_bar(ctx, bar)\n  return \"hold\"\nend\n"

# Strategy names as they appear in the URL path.
STRATEGY_ATTACKS = [
    "..%2F..%2Fetc%2Fpasswd", "..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "..%2Fsecret", "%2e%2e/secret", "%2e%2e%2fsecret",
    "%2E%2E%2Fsecret", "../secret", "..", "%2Fetc%2Fpasswd", "//etc/passwd", "%2Ftmp%2Fx", "..%5Csecret", "..\\secret",
    "x%5C..%5C..%5Csecret", "secret%00", "x%00%2F..%2Fsecret", "%252e%252e%252fsecret", "%252e%252e/secret",
    "examples%2F..%2F..%2Fsecret", "examples/../../secret", "link%2Fsecret", "link/secret", "%2e", ".hidden",
    "examples%2F.%2Fsma_cross",
]


def snapshot(root: Path, skip: set[Path]) -> dict[str, str]:
    """Every file under `root` outside the `skip` folders, with its hash."""
    files = {}
    for folder, dirs, names in os.walk(root):
        if any(Path(folder) == s or s in Path(folder).parents for s in skip):
            continue
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink() and path.suffix != ".log":   # the servers' own logs
                files[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def refused(response, allowed=(400, 404)) -> dict:
    assert response.status in allowed, response
    error = response.error()
    assert SECRET not in response.body.decode(errors="replace")
    assert b"root:" not in response.body
    return error


def test_strategy_names_cannot_reach_outside_the_strategies_folder(server, tmp_path):
    (tmp_path / "secret.lua").write_text(f"-- {SECRET}\n{VALID}")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.lua").write_text(f"-- {SECRET}\n{VALID}")
    os.symlink(outside, server.strategies_dir / "link")
    watched = {server.strategies_dir, server.state_dir}
    before = snapshot(tmp_path, watched)
    strategies_before = snapshot(server.strategies_dir, set())

    for name in STRATEGY_ATTACKS:
        refused(server.get(f"/api/strategies/{name}"))
        refused(server.post(f"/api/strategies/{name}/validate"))
        refused(server.put(f"/api/strategies/{name}", {"code": VALID}))
        refused(server.delete(f"/api/strategies/{name}"))
        refused(server.put("/api/strategies/examples%2Fsma_cross", {"code": VALID, "newName": name}), allowed=(400,))
    for name in ["../secret", "../../evil", "/tmp/evil", "..\\evil", "x/../../evil", "link/evil", "evil\u0000",
                 "a/b/c/d/e", "%2e%2e%2fevil", "x\nfoo"]:
        refused(server.post("/api/strategies", {"name": name, "code": VALID}), allowed=(400,))
        refused(server.put("/api/strategies/examples%2Fsma_cross", {"code": VALID, "newName": name}), allowed=(400,))
        if name != "link/evil":   # validating unsaved text touches no file, so only malformed names fail there
            refused(server.post("/api/strategies/validate", {"name": name, "code": VALID}), allowed=(400,))
        refused(server.post("/api/backtest/run", {"strategy": name, "data": DATA}))
    for dataset in ["../state-1/tradelab.sqlite", "/etc/passwd", "..%2Fsecret.lua", "%2e%2e/secret.lua", "a\\..\\b", "x\u0000"]:
        refused(server.post("/api/backtest/run", {"strategy": "sma-cross", "data": {"dataset": dataset}}))

    assert snapshot(tmp_path, watched) == before, "a file outside the strategies folder was written or changed"
    assert snapshot(server.strategies_dir, set()) == strategies_before, "the refused requests changed strategies"
    assert not list(tmp_path.rglob("evil*"))
    assert (outside / "secret.lua").read_text().startswith(f"-- {SECRET}")
    listing = server.ok("GET", "/api/strategies")["strategies"]
    assert not [s for s in listing if s["name"].startswith("link")], "files behind a symbolic link were listed"
    # The legitimate forms still work.
    assert server.ok("GET", "/api/strategies/examples%2Fsma_cross")["name"] == "examples/sma_cross"


ARTIFACT_ATTACKS = [
    "..%2F..%2Ftradelab.sqlite", "../../tradelab.sqlite", "%2e%2e/%2e%2e/tradelab.sqlite", "%2e%2e%2f%2e%2e%2ftradelab.sqlite",
    "%252e%252e%252f%252e%252e%252ftradelab.sqlite", "..%252f..%252ftradelab.sqlite", "%2Fetc%2Fpasswd", "/etc/passwd",
    "//etc/passwd", "..%5C..%5Ctradelab.sqlite", "..\\..\\tradelab.sqlite", "summary.json%00.txt", "summary.json%00",
    "x/../../../tradelab.sqlite", ".", "..", "%2e%2e", "..%2F{other}%2Fsummary.json", "../{other}/summary.json",
    "nothere.csv", "run-001", "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
]


def test_artifact_paths_cannot_reach_outside_the_run_folder(server):
    sid, _ = server.run({"strategy": "sma-cross", "data": DATA})
    other, _ = server.run({"strategy": "buy-and-hold", "data": DATA})
    (server.state_dir / "private.txt").write_text(SECRET)
    before = snapshot(server.state_dir, set())
    assert server.get(f"/api/backtest/{sid}/artifacts/summary.json").status == 200
    for attack in ARTIFACT_ATTACKS:
        response = server.get(f"/api/backtest/{sid}/artifacts/{attack.format(other=other)}")
        refused(response)
        assert b"SQLite format 3" not in response.body
    refused(server.get(f"/api/backtest/{sid}/artifacts/..%2F..%2Fprivate.txt"))
    refused(server.get(f"/api/backtest/{sid}/artifacts/%2e%2e/%2e%2e/private.txt"))
    refused(server.get(f"/api/backtest/..%2F{other}/artifacts/summary.json"))
    refused(server.get(f"/api/backtest/%2e%2e/artifacts/tradelab.sqlite"))
    assert snapshot(server.state_dir, set()) == before


def test_oversize_bodies_get_413(server):
    big = b'{"name": "big", "code": "' + b"-" * (1_200 * 1024) + b'"}'
    for method, path in [("POST", "/api/backtest/run"), ("POST", "/api/backtest/create"), ("POST", "/api/strategies"),
                         ("POST", "/api/strategies/validate"), ("PUT", "/api/strategies/examples%2Fsma_cross")]:
        response = server.request(method, path, raw=big)
        assert response.status == 413, (path, response)
        assert response.error()["code"] == "body_too_large"
    assert not (server.strategies_dir / "big.lua").exists()
    assert server.ok("GET", "/api/backtest")["sessions"] == []
    # A large script under the limit is accepted.
    code = VALID + "-- " + "x" * (900 * 1024) + "\n"
    report = server.ok("POST", "/api/strategies/validate", {"code": code})
    assert report["isValid"] is True
    assert server.ok("GET", "/api/engine")["version"]


@pytest.mark.parametrize("raw,code", [
    (b'{"strategy": "sma-cross", ', "invalid_json"),
    (b"", "invalid_json"),
    (b"[1, 2]", "invalid_json"),
    (b'"text"', "invalid_json"),
    (b"{'strategy': 'sma-cross'}", "invalid_json"),
    (b"\xff\xfe{}", "invalid_json"),
])
def test_malformed_json_gets_400_invalid_json(server, raw, code):
    for path in ("/api/backtest/run", "/api/strategies", "/api/strategies/validate"):
        response = server.post(path, raw=raw)
        assert response.status == 400, (path, response)
        assert response.error()["code"] == code


def test_unknown_fields_and_wrong_types_are_named(server):
    cases = [
        ({"strategy": "sma-cross", "data": DATA, "account": {"comission": 0.001}}, ["account.comission"]),
        ({"strategy": "sma-cross", "data": {**DATA, "tf": "1h"}, "colour": "red"}, ["colour", "data.tf"]),
        ({"strategy": "sma-cross", "data": DATA, "randomized": {"runs": 3, "duration": "2d", "sed": 1}}, ["randomized.sed"]),
        ({"strategy": "sma-cross", "data": DATA, "statEvery": 3}, ["statEvery"]),
    ]
    for body, fields in cases:
        response = server.post("/api/backtest/run", body)
        assert response.status == 400, response
        error = response.error()
        assert error["code"] == "unknown_field"
        assert error["details"]["fields"] == fields
        for field in fields:
            assert field in error["message"]
    response = server.post("/api/strategies", {"name": "x", "code": VALID, "nmae": "y"})
    assert response.status == 400 and response.error()["code"] == "unknown_field" and "nmae" in response.error()["message"]

    typed = [
        ({"strategy": "sma-cross", "data": DATA, "stateEvery": "ten"}, "stateEvery"),
        ({"strategy": "sma-cross", "data": DATA, "account": {"initialCapital": "lots"}}, "account.initialCapital"),
        ({"strategy": "sma-cross", "data": {"symbol": "BTCUSDT", "timeframe": 60}}, "data.timeframe"),
        ({"strategy": "sma-cross", "data": DATA, "params": {"fast": "x"}}, "params.fast"),
        ({"strategy": "sma-cross", "data": DATA, "account": {"allowShort": "yes"}}, "account.allowShort"),
        ({"strategy": 7, "data": DATA}, "strategy"),
        ({"strategy": "sma-cross", "data": DATA, "stateEvery": 0}, "stateEvery"),
        ({"strategy": "sma-cross", "data": DATA, "account": {"commission": -1}}, "commission"),
        ({"strategy": "sma-cross", "data": {"symbol": "BTCUSDT", "timeframe": "7m"}}, "timeframe"),
        ({"strategy": "sma-cross", "data": DATA, "params": {"speed": 3}}, "speed"),
    ]
    for body, field in typed:
        response = server.post("/api/backtest/run", body)
        assert response.status == 400, (body, response)
        error = response.error()
        assert error["code"] == "invalid_value", error
        assert field in error["message"], (field, error)
    missing = server.post("/api/backtest/run", {"strategy": "sma-cross", "data": {"symbol": "NOPE", "timeframe": "1h"}})
    assert missing.status == 404 and "NOPE" in missing.error()["message"]
    assert server.ok("GET", "/api/backtest")["sessions"] == [], "a refused request created a session"


def test_unknown_routes_and_ids_get_json_404(server):
    for method, path in [("GET", "/api/nope"), ("GET", "/nope"), ("GET", "/"), ("POST", "/api/backtest/bt_nope/start"),
                         ("GET", "/api/backtest/bt_nope"), ("GET", "/api/backtest/bt_nope/results"),
                         ("DELETE", "/api/backtest/bt_nope"), ("GET", "/api/backtest/bt_nope/artifacts/summary.json"),
                         ("GET", "/api/strategies/nope"), ("DELETE", "/api/strategies/nope"), ("GET", "/api/history/NOPE"),
                         ("PATCH", "/api/engine")]:
        response = server.request(method, path)
        assert response.status == 404, (method, path, response)
        assert response.error()["code"] == "not_found"


def test_binding_beyond_loopback_without_a_token_is_refused(tradelab_bin, sample_data, tmp_path):
    process = subprocess.Popen([str(tradelab_bin), "serve", "--host", "0.0.0.0", "--port", str(free_port()),
                                "--data-dir", str(sample_data), "--strategies-dir", str(tmp_path / "s"),
                                "--state-dir", str(tmp_path / "state"), "--web-dir", "/nonexistent"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError("the server started on 0.0.0.0 without a token")
    assert process.returncode != 0
    assert "--token" in output and "0.0.0.0" in output, output


def test_with_a_token_every_route_needs_it(start_server):
    token = "t0ken-" + "x" * 20
    server = start_server(token=token)
    routes = [("GET", "/api/engine", None, 200), ("GET", "/api/symbols", None, 200), ("GET", "/api/openapi.json", None, 200),
              ("GET", "/api/history/BTCUSDT?interval=1h", None, 200), ("GET", "/api/strategies", None, 200),
              ("GET", "/api/strategies/examples%2Fsma_cross", None, 200), ("GET", "/api/templates", None, 200),
              ("POST", "/api/strategies/validate", {"code": VALID}, 200), ("GET", "/api/backtest", None, 200),
              ("POST", "/api/strategies", {"name": "sneaky", "code": VALID}, 201),
              ("POST", "/api/backtest/create", {"strategy": "sma-cross", "data": DATA}, 201),
              ("GET", "/api/backtest/bt_nope", None, 404), ("GET", "/nope", None, 404), ("DELETE", "/api/strategies/sneaky", None, 204)]
    for method, path, body, _ in routes:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": token}, {"Authorization": f"Basic {token}"},
                        {"Authorization": f"Bearer {token}x"}):
            response = server.request(method, path, body, headers=headers, auth=False)
            assert response.status == 401, (method, path, headers, response)
            assert response.error()["code"] == "unauthorized"
        assert server.request(method, path + ("&" if "?" in path else "?") + "token=nope", body, auth=False).status == 401
    assert not (server.strategies_dir / "sneaky.lua").exists()
    for method, path, body, status in routes:
        response = server.request(method, path, body)
        assert response.status == status, (method, path, response)
    assert len(server.ok("GET", "/api/backtest")["sessions"]) == 1
    query = server.request("GET", f"/api/engine?token={token}", auth=False)
    assert query.status == 200


def test_other_sites_cannot_use_the_server(server):
    """DNS rebinding (a foreign Host), cross-site requests (a foreign Origin) and form-style
    bodies are refused, so a web page the user visits cannot drive a server bound to loopback."""
    name = "from_elsewhere"
    body = json.dumps({"name": name, "code": "-- x"}).encode()
    rebound = server.request("GET", "/api/engine", headers={"Host": f"attacker.example:{server.port}"})
    assert rebound.status == 403 and rebound.error()["code"] == "forbidden_host"
    cross = server.request("POST", "/api/strategies", raw=body,
                           headers={"Origin": "http://attacker.example", "Content-Type": "application/json"})
    assert cross.status == 403 and cross.error()["code"] == "forbidden_origin"
    simple = server.request("POST", "/api/strategies", raw=body, headers={"Content-Type": "text/plain"})
    assert simple.status == 415 and simple.error()["code"] == "unsupported_media_type"
    assert server.request("GET", f"/api/strategies/{name}").status == 404
    with pytest.raises(InvalidStatus):
        with connect(server.ws_url, origin="http://attacker.example"):
            pass
    same = server.request("POST", "/api/strategies", raw=body,
                          headers={"Origin": f"http://127.0.0.1:{server.port}", "Content-Type": "application/json"})
    assert same.status == 201
    with connect(server.ws_url, origin=f"http://127.0.0.1:{server.port}") as ws:
        ws.send(json.dumps({"type": "subscribe_all"}))


def test_ranges_outside_the_data_or_reversed_are_refused_naming_the_real_range(server):
    symbols = server.ok("GET", "/api/symbols")
    btc = max((d for d in symbols["datasets"] if d["symbol"] == "BTCUSDT"), key=lambda d: d["bars"])
    cases = [
        ({"symbol": "BTCUSDT", "timeframe": "15m", "start": "1990-01-01", "end": "1990-02-01"}, "BTCUSDT"),
        ({"symbol": "BTCUSDT", "timeframe": "15m", "start": "2090-01-01"}, "BTCUSDT"),
        ({"dataset": btc["file"], "start": "1990-01-01", "end": "1990-02-01"}, btc["file"]),
    ]
    for data, name in cases:
        response = server.post("/api/backtest/run", {"strategy": "sma-cross", "data": data})
        assert response.status == 400, (data, response)
        error = response.error()
        message = error["message"]
        assert error["code"] == "invalid_value" and name in message, message
        assert btc["from"][:16] in message and btc["to"][:16] in message, (message, btc)   # the data's real range
        assert str(server.data_dir) not in message and "/" not in message.replace(btc["file"], ""), message
    reversed_range = server.post("/api/backtest/run", {"strategy": "sma-cross", "data": {
        "symbol": "BTCUSDT", "timeframe": "15m", "start": "2024-01-20", "end": "2024-01-10"}})
    assert reversed_range.status == 400 and "before data.end" in reversed_range.error()["message"]
    # A range that overlaps the data still runs.
    sid, session = server.run({"strategy": "sma-cross", "data": {"symbol": "BTCUSDT", "timeframe": "15m",
                                                                "start": "1990-01-01", "end": btc["to"][:10]}})
    assert session["status"] == "completed", session
    # Durations read as people write them.
    too_long = server.post("/api/backtest/run", {"strategy": "sma-cross", "data": {"symbol": "BTCUSDT", "timeframe": "15m"},
                                                 "randomized": {"runs": 2, "duration": "100w"}})
    assert too_long.status == 400 and re.search(r"longer than the data \(\d+(\.\d)?d\)", too_long.error()["message"]), too_long
