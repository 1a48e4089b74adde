"""Runaway strategies: the run-time limit, the Lua memory cap and the worker memory limit fail the
run with a message naming the limit, and the server keeps serving."""
import re
import time
from datetime import datetime

HEADER = "-- @name Runaway\n-- @description test\n"
DATA = {"symbol": "BTCUSDT", "timeframe": "1h"}

INFINITE_LOOP = HEADER + """
function on_bar(ctx, bar)
  local x = 0
  while true do
    x = x + 1
  end
end
"""

ALLOCATE_FOREVER = HEADER + """
function on_bar(ctx, bar)
  local t = {}
  local i = 0
  while true do
    i = i + 1
    t[i] = string.rep("x", 1024) .. i
  end
end
"""


def seconds(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_an_infinite_loop_fails_at_the_run_time_limit(start_server):
    server = start_server("--run-time-limit", "2")
    started = time.monotonic()
    sid, session = server.run({"code": INFINITE_LOOP, "name": "loop", "data": DATA}, timeout=30)
    took = time.monotonic() - started
    assert session["status"] == "failed", session
    error = session["error"]
    message = error["message"]
    assert "time limit" in message.lower(), error
    # Either the sandbox stopped the script at its line, or the supervisor killed the worker.
    loop_lines = [n for n, line in enumerate(INFINITE_LOOP.splitlines(), 1) if "while" in line or "x + 1" in line]
    match = re.search(r"loop\.lua:(\d+):", message)
    assert (match and int(match.group(1)) in loop_lines) or error["code"] == "limit_exceeded", (error, loop_lines)
    assert "2 s" in message, error
    assert 1.5 <= took < 15, took
    assert seconds(session["finishedAt"]) - seconds(session["startedAt"]) >= 1.9
    assert server.get(f"/api/backtest/{sid}/results").status == 409
    assert server.wait_no_workers() == []
    _, after = server.run({"strategy": "sma-cross", "data": DATA})
    assert after["status"] == "completed"


def test_allocating_without_end_fails_at_the_lua_memory_cap(server):
    sid, session = server.run({"code": ALLOCATE_FOREVER, "name": "hog", "data": DATA}, timeout=60)
    assert session["status"] == "failed", session
    assert "memory" in session["error"]["message"].lower(), session["error"]
    assert "64 MiB" in session["error"]["message"], session["error"]
    assert server.wait_no_workers() == []
    _, after = server.run({"strategy": "sma-cross", "data": DATA})
    assert after["status"] == "completed"


def test_the_supervisor_kills_a_worker_over_its_memory_limit(start_server):
    # ~56 MiB of Lua strings stay under the 64 MiB Lua cap but put the worker's resident memory
    # over 80 MiB; the script then spins, so only the supervisor can end it in time.
    code = HEADER + """
function on_init(ctx)
  keep = {}
  for i = 1, 56 do keep[i] = string.rep(string.char(64 + i % 26), 1024 * 1024) end
end
function on_bar(ctx, bar)
  while true do end
end
"""
    server = start_server("--worker-memory-limit", "80", "--run-time-limit", "20")
    started = time.monotonic()
    _, session = server.run({"code": code, "name": "resident", "data": DATA}, timeout=40)
    assert session["status"] == "failed", session
    assert session["error"]["code"] == "limit_exceeded", session["error"]
    assert "memory limit of 80 MiB" in session["error"]["message"], session["error"]
    assert time.monotonic() - started < 10
