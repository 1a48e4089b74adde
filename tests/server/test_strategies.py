"""Strategy files over the API: create, read, update, rename, delete, folders in names, the
validator's diagnostics and speed, and the templates."""
import statistics
import time

from .conftest import ROOT

CODE = """-- @name Mine
-- @description A test strategy
-- @indicators sma
-- @param period 20 [2, 200] period
function on_init(ctx)
  ma = ta.sma(params.period)
end

function on_bar(ctx, bar)
  if ma.value == nil then return end
  if bar.close > ma.value then return "buy" end
  if bar.close < ma.value then return "sell" end
end
"""

BROKEN = """-- @name Broken
function on_bar(ctx, bar)
  if bar.close > then
    return "buy"
  end
end
"""


def test_create_read_update_rename_delete(server):
    root = server.strategies_dir
    created = server.ok("POST", "/api/strategies", {"name": "mine", "code": CODE}, status=201)
    assert created["name"] == "mine" and created["path"] == "mine.lua" and created["folder"] == ""
    assert created["isValid"] is True and created["code"] == CODE and created["size"] == len(CODE.encode())
    assert created["metadata"]["name"] == "Mine" and created["metadata"]["params"][0]["name"] == "period"
    assert "sma" in created["indicators"]
    assert (root / "mine.lua").read_text() == CODE

    fetched = server.ok("GET", "/api/strategies/mine")
    assert fetched["code"] == CODE and fetched["metadata"] == created["metadata"]
    assert "mine" in [s["name"] for s in server.ok("GET", "/api/strategies")["strategies"]]
    assert all("code" not in s for s in server.ok("GET", "/api/strategies")["strategies"])

    duplicate = server.post("/api/strategies", {"name": "mine", "code": "-- other\n"})
    assert duplicate.status == 409 and duplicate.error()["code"] == "conflict"
    assert (root / "mine.lua").read_text() == CODE, "a refused create changed the file"

    changed = CODE.replace("20 [2, 200]", "30 [2, 200]")
    updated = server.ok("PUT", "/api/strategies/mine", {"code": changed})
    assert updated["code"] == changed and (root / "mine.lua").read_text() == changed
    assert updated["metadata"]["params"][0]["defaultValue"] == 30

    renamed = server.ok("PUT", "/api/strategies/mine", {"code": changed, "newName": "examples/renamed"})
    assert renamed["name"] == "examples/renamed" and renamed["folder"] == "examples"
    assert not (root / "mine.lua").exists() and (root / "examples" / "renamed.lua").read_text() == changed
    assert server.get("/api/strategies/mine").status == 404

    # Renaming onto an existing name is refused and loses nothing.
    sma = (root / "examples" / "sma_cross.lua").read_text()
    taken = server.put("/api/strategies/examples%2Frenamed", {"code": "-- lost?\n", "newName": "examples/sma_cross"})
    assert taken.status == 409 and taken.error()["code"] == "conflict"
    assert (root / "examples" / "sma_cross.lua").read_text() == sma
    assert (root / "examples" / "renamed.lua").read_text() == changed

    # A saved strategy runs by name.
    sid, session = server.run({"strategy": "examples/renamed", "data": {"symbol": "BTCUSDT", "timeframe": "1h"}})
    assert session["status"] == "completed" and session["strategy"] == "renamed"

    assert server.delete("/api/strategies/examples%2Frenamed").status == 204
    assert not (root / "examples" / "renamed.lua").exists()
    for method, path, body in [("GET", "/api/strategies/examples%2Frenamed", None), ("DELETE", "/api/strategies/examples%2Frenamed", None),
                               ("PUT", "/api/strategies/nope", {"code": CODE}), ("POST", "/api/strategies/nope/validate", None)]:
        response = server.request(method, path, body)
        assert response.status == 404 and response.error()["code"] == "not_found", (method, path, response)
    assert not (root / "nope.lua").exists(), "PUT on a missing strategy created it"


def test_names_with_folders_in_either_spelling(server):
    on_disk = (server.strategies_dir / "examples" / "sma_cross.lua").read_text()
    encoded = server.ok("GET", "/api/strategies/examples%2Fsma_cross")
    assert server.ok("GET", "/api/strategies/examples%2fsma_cross") == encoded
    assert encoded["name"] == "examples/sma_cross" and encoded["code"] == on_disk and encoded["folder"] == "examples"
    report = server.ok("POST", "/api/strategies/examples%2Fsma_cross/validate")
    assert report["isValid"] is True and report["fileName"] == "sma_cross.lua"

    server.ok("POST", "/api/strategies", {"name": "deep/er/x", "code": CODE}, status=201)
    assert (server.strategies_dir / "deep" / "er" / "x.lua").read_text() == CODE
    assert server.ok("GET", "/api/strategies/deep%2Fer%2Fx")["folder"] == "deep/er"
    assert server.put("/api/strategies/deep%2Fer%2Fx", {"code": BROKEN}).status == 200
    assert server.ok("GET", "/api/strategies/deep%2Fer%2Fx")["isValid"] is False
    listed = {s["name"]: s for s in server.ok("GET", "/api/strategies")["strategies"]}
    assert listed["deep/er/x"]["isValid"] is False
    expected = {str(p.relative_to(server.strategies_dir))[:-4] for p in server.strategies_dir.rglob("*.lua")}
    assert set(listed) == expected
    assert server.post("/api/strategies", {"name": "examples/sma_cross", "code": CODE}).status == 409

    # The guide: "A / inside a name may be written as-is or as %2F".
    for method, path, body in [("GET", "/api/strategies/examples/sma_cross", None),
                               ("POST", "/api/strategies/examples/sma_cross/validate", None),
                               ("PUT", "/api/strategies/deep/er/x", {"code": CODE}),
                               ("GET", "/api/strategies/deep/er/x", None),
                               ("DELETE", "/api/strategies/deep/er/x", None)]:
        response = server.request(method, path, body)
        assert response.status in (200, 204), (method, path, response)
    assert server.ok("GET", "/api/strategies/examples/sma_cross") == encoded
    assert not (server.strategies_dir / "deep" / "er" / "x.lua").exists()


def test_validation_reports_errors_with_line_numbers(server):
    report = server.ok("POST", "/api/strategies/validate", {"code": BROKEN, "name": "broken"})
    assert report["isValid"] is False and report["fileName"] == "broken.lua"
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert errors and errors[0]["line"] == 3, report["diagnostics"]
    assert isinstance(errors[0]["column"], int) and errors[0]["message"]

    server.ok("POST", "/api/strategies", {"name": "broken", "code": BROKEN}, status=201)
    saved = server.ok("POST", "/api/strategies/broken/validate")
    assert saved["isValid"] is False and [d["line"] for d in saved["diagnostics"] if d["severity"] == "error"][0] == 3
    # A run of an invalid strategy is refused before it starts, with the line.
    response = server.post("/api/backtest/run", {"strategy": "broken", "data": {"symbol": "BTCUSDT", "timeframe": "1h"}})
    assert response.status == 422 and response.error()["code"] == "invalid_strategy"
    assert "broken.lua:3" in response.error()["message"]
    assert server.ok("GET", "/api/backtest")["sessions"] == []

    shifted = "-- a comment\n" * 7 + BROKEN
    report = server.ok("POST", "/api/strategies/validate", {"code": shifted})
    assert [d["line"] for d in report["diagnostics"] if d["severity"] == "error"][0] == 10
    good = server.ok("POST", "/api/strategies/validate", {"code": CODE})
    assert good["isValid"] is True and good["style"] == "on_bar"
    assert not [d for d in good["diagnostics"] if d["severity"] == "error"]


def test_templates_are_listed_with_their_code(server):
    templates = server.ok("GET", "/api/templates")["templates"]
    files = sorted((ROOT / "strategies" / "templates").glob("*.lua"))
    assert len(templates) == len(files) == 6
    by_name = {t["name"]: t for t in templates}
    for path in files:
        template = by_name[f"templates/{path.stem}"]
        assert template["code"] == path.read_text()
        assert template["title"] and template["description"] and isinstance(template["metadata"], dict)
        assert server.ok("POST", "/api/strategies/validate", {"code": template["code"]})["isValid"] is True


def test_validation_answers_fast(server):
    code = (ROOT / "strategies" / "templates" / "macd.lua").read_text()
    timings = []
    for _ in range(15):
        started = time.perf_counter()
        server.ok("POST", "/api/strategies/validate", {"code": code, "name": "macd"})
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.1, timings
    saved = []
    for _ in range(9):
        started = time.perf_counter()
        server.ok("POST", "/api/strategies/templates%2Fmacd/validate")
        saved.append(time.perf_counter() - started)
    assert statistics.median(saved) < 0.1, saved
