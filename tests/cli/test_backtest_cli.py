"""The `tradelab backtest` command as a user meets it: reports, artifacts, JSON, errors."""
import csv
import json
from pathlib import Path

import pytest

from reference.test_backtesting_py import GOOG_CSV, random_walk_csv


def test_report_shows_stats_and_last_trades(tradelab):
    out = tradelab("backtest", "--data", GOOG_CSV, "--strategy", "sma-cross", "--commission", "0.001").stdout
    assert "sma-cross(fast=10, slow=20)" in out
    assert "Total return" in out and "Sharpe" in out and "Max. drawdown" in out
    assert "Last 10 of" in out


def test_artifacts_are_written_and_consistent(tradelab, tmp_path):
    out = tmp_path / "run"
    tradelab("backtest", "--data", GOOG_CSV, "--preset", "backtesting.py", "--commission", "0.002", "--out", out, "--csv")
    summary = json.loads((out / "summary.json").read_text())
    trades = list(csv.DictReader((out / "trades.csv").open()))
    equity = list(csv.DictReader((out / "equity.csv").open()))
    assert len(trades) == summary["closedTrades"] + summary["openTrades"] == 94
    assert len(equity) == summary["data"]["bars"] == 2148
    assert float(equity[-1]["equity"]) == pytest.approx(summary["metrics"]["finalEquity"], rel=1e-12)
    assert sum(float(t["pnl"]) for t in trades) == pytest.approx(summary["metrics"]["finalEquity"] - 10_000, abs=1e-6)
    assert (out / "orders.csv").exists()
    assert not list(out.glob("*.tmp-*"))


def test_randomized_runs_are_reproducible_by_seed(tradelab, tmp_path):
    path = random_walk_csv(tmp_path, 4, n=2000)
    args = ["backtest", "--data", path, "--strategy", "sma-cross", "--runs", 8, "--duration", "200d"]
    a = tradelab.json(*args, "--seed", 5)
    b = tradelab.json(*args, "--seed", 5)
    c = tradelab.json(*args, "--seed", 6)
    assert a.pop("timings")["totalMs"] > 0 and b.pop("timings")["engineMs"] > 0
    assert a == b
    assert [r["from"] for r in a["runs"]] != [r["from"] for r in c["runs"]]
    assert len(a["runs"]) == 8 and a["randomized"]["runs"] == 8 and a["randomized"]["seed"] == 5
    returns = sorted(r["metrics"]["totalReturn"] for r in a["runs"])
    assert a["randomized"]["medianReturn"] == pytest.approx((returns[3] + returns[4]) / 2)
    out = tmp_path / "rand"
    tradelab(*args, "--seed", 5, "--out", out, "--csv")
    runs = list(csv.DictReader((out / "runs.csv").open()))
    equity = list(csv.DictReader((out / "equity.csv").open()))
    assert [int(r["run"]) for r in runs] == list(range(1, 9))
    assert len(equity) == sum(int(r["bars"]) for r in runs) and {int(r["run"]) for r in equity} == set(range(1, 9))


def test_resampling_and_time_range(tradelab):
    result = tradelab.json("backtest", "--data", GOOG_CSV, "--timeframe", "1w", "--from", "2006-01-01", "--to", "2008-01-01")
    assert result["data"]["timeframe"] == "1w"
    assert result["data"]["from"].startswith("2006-01-02")
    assert 100 < result["data"]["bars"] < 106


@pytest.mark.parametrize("args,message", [
    (["--data", "/no/such/file.csv"], "/no/such/file.csv"),
    (["--strategy", "nope"], "strategy"),
    (["--param", "fast=abc"], "fast=abc"),
    (["--param", "speed=3"], "speed"),
    (["--size", "150%"], "size"),
    (["--commission", "-1"], "commission"),
    (["--runs", "3"], "--duration"),
    (["--runs", "3", "--duration", "1000w"], "no longer than the data"),
    (["--timeframe", "3m"], "timeframe"),
    (["--fill", "sometime"], "fill"),
])
def test_bad_input_fails_with_one_clear_message(tradelab, args, message):
    if "--data" not in args:
        args = ["--data", GOOG_CSV, *args]
    proc = tradelab("backtest", *args, check=False)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert "Error" in proc.stderr or "error" in proc.stderr
    assert proc.stderr.count("\n") <= 4, proc.stderr


def test_bad_row_is_reported_with_file_and_line(tradelab, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("time,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1,2,0.5,abc,10\n")
    proc = tradelab("backtest", "--data", path, check=False)
    assert proc.returncode != 0
    assert "bad.csv:3" in proc.stderr and "close" in proc.stderr


def test_no_progress_bar_when_not_on_a_terminal(tradelab):
    proc = tradelab("backtest", "--data", GOOG_CSV)
    assert "█" not in proc.stderr and "\r" not in proc.stderr
