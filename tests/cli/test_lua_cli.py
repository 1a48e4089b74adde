"""Lua strategies through the CLI: every template and example validates and backtests; validate's output."""
import json
from pathlib import Path

import pytest

from reference.test_backtesting_py import GOOG_CSV, random_walk_csv

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "strategies").glob("*/*.lua"))


def test_there_are_six_templates_and_some_examples():
    names = {p.name for p in (ROOT / "strategies" / "templates").glob("*.lua")}
    assert names == {"empty.lua", "ema_crossover.lua", "rsi_mean_reversion.lua", "range_breakout.lua",
                     "bollinger_bounce.lua", "macd.lua"}
    assert len(list((ROOT / "strategies" / "examples").glob("*.lua"))) >= 3


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_every_bundled_strategy_validates_and_backtests(tradelab, tmp_path, script):
    reports = json.loads(tradelab("validate", script, "--json").stdout)
    assert [r["report"]["isValid"] for r in reports] == [True], reports
    data = random_walk_csv(tmp_path, 11, n=3000)
    result = tradelab.json("backtest", "--data", data, "--strategy", script, "--allow-short")
    assert result["data"]["bars"] == 3000
    if script.name != "empty.lua":
        assert result["closedTrades"] + result["openTrades"] > 0, f"{script.name} never traded"


def test_validate_reports_errors_like_a_compiler_and_fails(tradelab, tmp_path):
    bad = tmp_path / "bad.lua"
    bad.write_text("-- @param fast 10 [2, 100]\nfunction on_bar(ctx, bar)\n  local x = ta.smaa(params.fast)\n  if x then\n")
    proc = tradelab("validate", bad, check=False)
    assert proc.returncode == 1
    assert f"{bad}:5:" in proc.stdout + proc.stderr or f"{bad}:4:" in proc.stdout + proc.stderr
    assert "error" in proc.stdout + proc.stderr


def test_lua_runtime_error_fails_the_backtest_naming_the_line(tradelab, tmp_path):
    script = tmp_path / "oops.lua"
    script.write_text("function on_bar(ctx, bar)\n  if ctx.step == 50 then\n    return nil + 1\n  end\nend\n")
    proc = tradelab("backtest", "--data", GOOG_CSV, "--strategy", script, check=False)
    assert proc.returncode != 0
    assert "oops.lua:3:" in proc.stderr


def test_infinite_loop_is_stopped_by_the_time_limit(tradelab, tmp_path):
    script = tmp_path / "spin.lua"
    script.write_text("function on_bar(ctx, bar)\n  while true do end\nend\n")
    proc = tradelab("backtest", "--data", GOOG_CSV, "--strategy", script, "--time-limit", "0.5", check=False)
    assert proc.returncode != 0
    assert "spin.lua:2: time limit exceeded" in proc.stderr


def test_memory_bomb_is_stopped_by_the_memory_limit(tradelab, tmp_path):
    script = tmp_path / "bomb.lua"
    script.write_text("t = {}\nfunction on_bar(ctx, bar)\n  for i = 1, 1e7 do t[#t + 1] = tostring(i) .. bar.close end\nend\n")
    proc = tradelab("backtest", "--data", GOOG_CSV, "--strategy", script, "--memory-limit", "8", check=False)
    assert proc.returncode != 0
    assert "MiB" in proc.stderr


def test_parameters_are_checked_against_the_header(tradelab):
    script = ROOT / "strategies" / "examples" / "sma_cross.lua"
    proc = tradelab("backtest", "--data", GOOG_CSV, "--strategy", script, "--param", "fast=100000", check=False)
    assert proc.returncode != 0 and "fast" in proc.stderr
