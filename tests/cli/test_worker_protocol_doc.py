"""The examples of docs/worker-protocol.md run as written: the assignment line, a stop at end of
input, a whole run with its events and files, and the three errors."""
import json
import re
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "worker-protocol.md").read_text()


def doc_job() -> str:
    return re.search(r"^\$ JOB='(.*)'$", DOC, re.M).group(1)


def worker(tradelab, cwd, job: str, keep_open: float = 0.0):
    process = subprocess.Popen([str(tradelab.binary), "worker"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdin.write((job + "\n").encode())
    process.stdin.flush()
    if keep_open:
        time.sleep(keep_open)
    out, _ = process.communicate(timeout=60)
    return process.returncode, [json.loads(line) for line in out.decode().splitlines()]


def test_the_documented_assignment_runs_stops_and_fails_as_shown(tradelab, tmp_path):
    tradelab("data", "sample", "--out", tmp_path / "data", "--symbol", "BTCUSDT", "--days", 30)
    job = doc_job().replace("/tmp/worker-demo", str(tmp_path / "out"))
    assert json.loads(job)["job"]["strategy"] == {"kind": "builtin", "name": "sma-cross"}

    code, events = worker(tradelab, tmp_path, job)
    assert code == 0 and [e["type"] for e in events] == ["started", "state", "finished"]
    assert events[0] == {"type": "started", "totalCandles": 720, "runs": 1}
    assert events[2] == {"type": "finished", "status": "stopped"}

    code, events = worker(tradelab, tmp_path, job, keep_open=2.0)
    assert code == 0
    assert [e["type"] for e in events] == ["started", "state", "state", "state", "state", "finished"]
    states = [e["state"] for e in events[1:5]]
    assert [s["currentCandleIndex"] for s in states] == [240, 480, 720, 720]
    assert [s["status"] for s in states] == ["running"] * 3 + ["completed"]
    assert states[0]["currentTime"] == "2024-01-10T23:00:00Z" and states[0]["currentCapital"] == 10693.006754585373
    assert states[3]["currentCapital"] == 10478.761823671435
    summary = events[5]["summary"]
    assert summary["id"] == "demo" and summary["metrics"]["totalReturn"] == 0.047876182367143416
    assert set(summary["timings"]) == {"loadMs", "indicatorsMs", "engineMs", "totalMs"}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        "equity.parquet orders.parquet results.json summary.json trades.parquet".split())

    code, events = worker(tradelab, tmp_path, job.replace("BTCUSDT_1m", "NOPE_1m"))
    assert code == 1 and events == [{"type": "error", "code": "data_error", "message": "NOPE_1m.csv: file not found at 'data/NOPE_1m.csv'"}]
    code, events = worker(tradelab, tmp_path, job.replace('"fast":10', '"fast":0'))
    assert code == 1 and events == [{"type": "error", "code": "strategy_error",
                                     "message": "invalid fast '0': expected a whole number of bars >= 1"}]
    code, events = worker(tradelab, tmp_path, '{"id":1}')
    assert code == 2 and events[0]["code"] == "invalid_job"
    assert events[0]["message"].startswith("the job is not valid JSON for a WorkerAssignment: ")


def test_the_documented_optimization_runs_as_shown_and_equals_the_cli(tradelab, tmp_path):
    tradelab("data", "sample", "--out", tmp_path / "data", "--symbol", "BTCUSDT", "--days", 30)
    job = re.search(r"^\$ OPJOB='(.*)'$", DOC, re.M).group(1).replace("/tmp/worker-demo-op", str(tmp_path / "out"))
    assert "optimization" in json.loads(job) and "job" not in json.loads(job)

    code, events = worker(tradelab, tmp_path, job, keep_open=2.0)
    assert code == 0 and events[-1] == {"type": "finished", "status": "completed"}
    progress = [e["progress"] for e in events[:-1]]
    assert all(e["type"] == "progress" for e in events[:-1])
    assert [p["done"] for p in progress] == [1, 2, 3, 4] and {p["total"] for p in progress} == {4}
    best = progress[-1]["best"]
    assert best["params"] == {"fast": 10, "slow": 20} and best["objective"] == 2.438719547469607
    assert best["finalEquity"] == 10705.759327259322 and best["closedTrades"] == 17
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["best.json", "results.json", "summary.json", "trials.csv"]
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    cli = tradelab.json("optimize", "--data", tmp_path / "data" / "BTCUSDT_1m.csv", "--timeframe", "1h", "--commission", "0.001",
                        "--param-range", "fast=5,10", "--param-range", "slow=20,30", "--constraint", "fast<slow")
    assert {k: v for k, v in results.items() if k != "timings"} == {k: v for k, v in cli.items() if k != "timings"}
    assert results["best"] == best

    # A stop at once: no trial, finished as stopped, the (empty) results written.
    code, events = worker(tradelab, tmp_path, job)
    assert code == 0 and events[-1] == {"type": "finished", "status": "stopped"}
    assert json.loads((tmp_path / "out" / "results.json").read_text())["cancelled"] is True
