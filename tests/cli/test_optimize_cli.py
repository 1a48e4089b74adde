"""`tradelab optimize` as a user meets it: the report with its heatmap and selection note, JSON,
artifacts, the three methods, Lua strategies, and bad input refused before any work."""
import csv
import json
from pathlib import Path

import pytest

from reference.test_backtesting_py import GOOG_CSV

LUA_SMA_CROSS = Path(__file__).resolve().parents[2] / "strategies" / "examples" / "sma_cross.lua"
GRID = ["--data", GOOG_CSV, "--param-range", "fast=5:30:5", "--param-range", "slow=20:100:20", "--commission", "0.001"]


def test_report_lists_the_top_trials_draws_a_heatmap_and_says_how_many_were_tried(tradelab):
    out = tradelab("optimize", *GRID, "--top", "3").stdout
    assert "grid search · objective sharpe · 30 trials of 30 combinations" in out
    assert "Top 3 of" in out and "sharpe" in out and "final equity" in out
    assert "sharpe by fast (rows) and slow (columns)" in out
    assert "20  40  60  80  100" in out          # column labels whole, as wide as the widest
    assert "Selection: the best of 30 trials" in out


def test_json_and_artifacts_agree_and_the_best_is_the_highest(tradelab, tmp_path):
    out = tmp_path / "opt"
    results = tradelab.json("optimize", *GRID, "--constraint", "fast<slow", "--objective", "totalReturn", "--out", out)
    trials = results["trials"]
    assert len(trials) == 30 - 3 and all(t["params"]["fast"] < t["params"]["slow"] for t in trials)   # not 20, 25 or 30 against 20
    assert results["objective"] == "totalReturn" and results["guards"]["combinations"] == 30
    best = max((t for t in trials if t.get("objective") is not None), key=lambda t: t["objective"])
    assert results["best"] == best and best["objective"] == best["metrics"]["totalReturn"]
    assert all(isinstance(t["params"]["fast"], int) or float(t["params"]["fast"]).is_integer() for t in trials)
    rows = list(csv.DictReader(open(out / "trials.csv")))
    assert len(rows) == len(trials) and [float(r["final_equity"]) for r in rows] == [t["finalEquity"] for t in trials]
    assert json.loads((out / "best.json").read_text()) == best
    summary = json.loads((out / "summary.json").read_text())
    assert summary["trials"] == [] and summary["best"] == best and summary["guards"] == results["guards"]


def test_random_and_genetic_searches_are_reproducible_by_seed(tradelab):
    space = ["--data", GOOG_CSV, "--param-range", "fast=2:40:1", "--param-range", "slow=10:200:5", "--constraint", "fast<slow"]
    a = tradelab.json("optimize", *space, "--method", "random", "--trials", "25", "--seed", "4")
    b = tradelab.json("optimize", *space, "--method", "random", "--trials", "25", "--seed", "4")
    c = tradelab.json("optimize", *space, "--method", "random", "--trials", "25", "--seed", "5")
    params = lambda r: [tuple(sorted(t["params"].items())) for t in r["trials"]]  # noqa: E731
    assert len(set(params(a))) == 25 and params(a) == params(b) and params(a) != params(c)
    g1 = tradelab.json("optimize", *space, "--method", "genetic", "--population", "12", "--generations", "6", "--seed", "9")
    g2 = tradelab.json("optimize", *space, "--method", "genetic", "--population", "12", "--generations", "6", "--seed", "9", "--jobs", "1")
    assert params(g1) == params(g2) and g1["method"] == "genetic"
    gens = g1["generations"]
    assert 1 <= len(gens) <= 6 and gens[0]["generation"] == 1
    assert all(x["best"] <= y["best"] for x, y in zip(gens, gens[1:]))
    assert g1["best"]["objective"] == gens[-1]["best"]


def test_a_lua_strategy_gives_the_native_numbers(tradelab):
    native = tradelab.json("optimize", *GRID)
    lua = tradelab.json("optimize", *GRID, "--strategy", LUA_SMA_CROSS)
    assert native["guards"]["rejected"] == 0 and len(native["trials"]) == 30   # equal periods never cross: no trades
    assert [t["finalEquity"] for t in lua["trials"]] == [t["finalEquity"] for t in native["trials"]]
    assert lua["strategy"] == "sma_cross.lua"


def test_filters_reject_trials_with_the_reason(tradelab):
    results = tradelab.json("optimize", *GRID, "--min-trades", "40", "--max-drawdown", "25%")
    rejected = [t for t in results["trials"] if t.get("objective") is None]
    assert rejected and results["guards"]["rejected"] == len(rejected)
    assert all("fewer than 40" in t["rejected"] or "deeper than 25 %" in t["rejected"] for t in rejected)
    assert all(t["closedTrades"] >= 40 and -t["metrics"]["maxDrawdown"] <= 0.25 for t in results["trials"] if t.get("objective") is not None)


@pytest.mark.parametrize("args, message", [
    (["--param-range", "fast=50:5:5"], "inverted"),
    (["--param-range", "fast=5:50:0"], "step must be above 0"),
    (["--param-range", "speed=1:5:1"], "speed"),
    (["--param-range", "fast=5:50:5", "--objective", "luck"], "unknown objective 'luck'"),
    (["--param-range", "fast=1:2000:1", "--param-range", "slow=1:1000:1"], "more than 1000000"),
    (["--param-range", "fast=5:10:5", "--constraint", "fast<speed"], "names 'speed'"),
    (["--param-range", "fast=5:10:5", "--method", "annealing"], "grid, random or genetic"),
    (["--param-range", "fast=5:10:5", "--trials", "5"], "--trials goes with --method random"),
    ([], "--param-range"),
])
def test_bad_input_fails_with_one_clear_message_before_any_work(tradelab, args, message):
    proc = tradelab("optimize", "--data", GOOG_CSV, *args, check=False)
    assert proc.returncode != 0
    assert message in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") <= 4 and "Trace" not in proc.stderr, proc.stderr


def deflated_sharpe(sharpes, best, returns):
    """Bailey and López de Prado (2014), written out independently of the Swift code."""
    from statistics import NormalDist
    import math
    import numpy as np
    n, t = len(sharpes), len(returns)
    v = np.var(sharpes, ddof=1)
    g = 0.5772156649015329
    z = NormalDist()
    sr0 = math.sqrt(v) * ((1 - g) * z.inv_cdf(1 - 1 / n) + g * z.inv_cdf(1 - 1 / (n * math.e)))
    r = np.asarray(returns)
    d = r - r.mean()
    m2, m3, m4 = (d ** 2).mean(), (d ** 3).mean(), (d ** 4).mean()
    skew, kurt = m3 / m2 ** 1.5, m4 / m2 ** 2
    return z.cdf((best - sr0) * math.sqrt(t - 1) / math.sqrt(1 - skew * best + (kurt - 1) / 4 * best ** 2)), sr0


def test_the_deflated_sharpe_of_the_best_is_bailey_and_lopez_de_prados(tradelab, tmp_path):
    results = tradelab.json("optimize", *GRID, "--constraint", "fast<slow")
    dsr = results["guards"]["deflatedSharpe"]
    per_bar = lambda m: m["sharpeRatio"] / m["periodsPerYear"] ** 0.5  # noqa: E731
    sharpes = [per_bar(t["metrics"]) for t in results["trials"] if t.get("metrics", {}).get("sharpeRatio") is not None]
    best = results["best"]
    tradelab("backtest", *GRID[:1], GOOG_CSV, "--param", f"fast={best['params']['fast']:g}", "--param", f"slow={best['params']['slow']:g}",
             "--commission", "0.001", "--out", tmp_path / "best", "--csv")
    equity = [float(row["equity"]) for row in csv.DictReader(open(tmp_path / "best" / "equity.csv"))]
    returns = [b / a - 1 for a, b in zip(equity, equity[1:]) if a > 0]
    want, sr0 = deflated_sharpe(sharpes, per_bar(best["metrics"]), returns)
    assert dsr["trials"] == len(sharpes) == 27
    assert dsr["best"] == pytest.approx(per_bar(best["metrics"]), rel=1e-12)
    assert dsr["expectedMaximum"] == pytest.approx(sr0, rel=1e-9)
    assert dsr["probability"] == pytest.approx(want, rel=1e-9, abs=1e-12)
    # More trials of the same kind raise the bar luck sets.
    wider = tradelab.json("optimize", "--data", GOOG_CSV, "--param-range", "fast=2:60:2", "--param-range", "slow=10:300:10",
                          "--constraint", "fast<slow", "--commission", "0.001")["guards"]["deflatedSharpe"]
    assert wider["trials"] > 300 and wider["expectedMaximum"] > dsr["expectedMaximum"]
    assert "Deflated Sharpe of the best" in tradelab("optimize", *GRID).stdout


def iso(ms):
    """UTC milliseconds as the ISO time `--from`/`--to` take."""
    from datetime import datetime, timezone
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@pytest.mark.parametrize("anchored", [False, True])
def test_each_walk_forward_fold_is_the_optimization_of_its_window_tested_on_the_next(tradelab, anchored):
    space = ["--param-range", "fast=5:30:5", "--param-range", "slow=20:100:20", "--constraint", "fast<slow", "--commission", "0.001"]
    flags = ["--walk-forward", "3", "--in-sample", "60%"] + (["--anchored"] if anchored else [])
    walk = tradelab.json("optimize", "--data", GOOG_CSV, *space, *flags)["walkForward"]
    windows = walk["windows"]
    assert walk["options"] == {"folds": 3, "inSample": 0.6, "anchored": anchored} and len(windows) == 3
    level = 10_000.0
    for w, after in zip(windows, windows[1:] + [None]):
        ins, oos = w["inSample"], w["outOfSample"]
        assert ins["end"] < oos["start"] and (after is None or oos["end"] < after["outOfSample"]["start"])
        # The fold's in-sample search, run on its own, finds the same best...
        alone = tradelab.json("optimize", "--data", GOOG_CSV, *space, "--from", iso(ins["start"]), "--to", iso(ins["end"] + 1))
        assert alone["data"]["bars"] == ins["bars"] and alone["best"]["params"] == w["params"]
        assert w["inSampleObjective"] == alone["best"]["objective"]
        # ... and the backtest of its parameters on the window after gives its out-of-sample figures.
        params = [x for name, v in w["params"].items() for x in ("--param", f"{name}={v:g}")]
        test = tradelab.json("backtest", "--data", GOOG_CSV, *params, "--commission", "0.001",
                             "--from", iso(oos["start"]), "--to", iso(oos["end"] + 1))["metrics"]
        assert test["barCount"] == oos["bars"] and test["totalReturn"] == pytest.approx(w["outOfSampleMetrics"]["totalReturn"], rel=1e-12)
        assert w["outOfSampleObjective"] == pytest.approx(test["sharpeRatio"], rel=1e-12)
        level *= 1 + test["totalReturn"]
    # Stitched: each window starts where the previous ended; the efficiency is the ratio of the means.
    assert walk["outOfSample"]["finalEquity"] == pytest.approx(level, rel=1e-9)
    assert walk["equity"]["equity"][-1] == pytest.approx(level, rel=1e-9)
    in_mean = sum(w["inSampleMetrics"]["annualizedReturn"] for w in windows) / 3
    out_mean = sum(w["outOfSampleMetrics"]["annualizedReturn"] for w in windows) / 3
    if in_mean > 0:
        assert walk["efficiency"] == pytest.approx(out_mean / in_mean, rel=1e-9)
    else:
        assert walk.get("efficiency") is None
    if anchored:
        assert len({w["inSample"]["start"] for w in windows}) == 1
    report = tradelab("optimize", "--data", GOOG_CSV, *space, *flags).stdout
    assert "Walk-forward: 3 fold(s), 60% in sample" in report and "Stitched out of sample" in report and "Walk-forward efficiency" in report


def test_monte_carlo_resamples_the_best_trials_trades(tradelab, tmp_path):
    import numpy as np
    results = tradelab.json("optimize", *GRID, "--constraint", "fast<slow", "--monte-carlo", "2000", "--seed", "11")
    mc, best = results["monteCarlo"], results["best"]
    params = [x for name, v in best["params"].items() for x in ("--param", f"{name}={v:g}")]
    tradelab("backtest", "--data", GOOG_CSV, *params, "--commission", "0.001", "--out", tmp_path / "best", "--csv")
    equity = [float(r["equity"]) for r in csv.DictReader(open(tmp_path / "best" / "equity.csv"))]
    trades = [r for r in csv.DictReader(open(tmp_path / "best" / "trades.csv")) if r["exit_reason"] != "open"]
    # Each trade's account return: its P&L over the equity before it opened.
    r = np.array([float(t["pnl"]) / (equity[int(t["entry_index"]) - 1] if int(t["entry_index"]) > 0 else 10_000) for t in trades])
    path = 10_000 * np.cumprod(1 + r)
    peaks = np.maximum.accumulate(np.concatenate([[10_000], path]))[1:]
    assert mc["trades"] == len(trades) and mc["simulations"] == 2000 and mc["seed"] == 11
    assert mc["actual"]["finalEquity"] == pytest.approx(path[-1], rel=1e-9)
    assert mc["actual"]["maxDrawdown"] == pytest.approx(min(0, (path / peaks - 1).min()), rel=1e-9, abs=1e-12)
    # Shuffled orders all end at the same equity; their drawdowns spread around the actual one.
    shuffle, boot = mc["shuffle"], mc["bootstrap"]
    assert all(v == pytest.approx(path[-1], rel=1e-9) for v in shuffle["finalEquity"].values())
    assert shuffle["maxDrawdown"]["p5"] <= mc["actual"]["maxDrawdown"] <= 0 and shuffle["maxDrawdown"]["p95"] <= 0
    # Bootstrap: the median log growth is n x the mean log return, within a tenth of its spread.
    logs = np.log1p(r)
    assert abs(np.log(boot["finalEquity"]["p50"] / 10_000) - logs.sum()) < 0.1 * logs.std() * len(logs) ** 0.5
    assert sum(boot["histogram"]["counts"]) == 2000 and len(boot["histogram"]["edges"]) == 21
    assert boot["fan"]["trades"][-1] == len(trades) and boot["fan"]["p50"][-1] == pytest.approx(boot["finalEquity"]["p50"], rel=1e-9)
    p_loss = boot["probabilityOfLoss"]
    assert 0 <= p_loss <= 1 and (p_loss == 0) == (boot["finalEquity"]["p5"] >= 10_000 and p_loss == 0)
    assert results == tradelab.json("optimize", *GRID, "--constraint", "fast<slow", "--monte-carlo", "2000", "--seed", "11") | {"timings": results["timings"]}
    assert "Monte Carlo on the best trial's" in tradelab("optimize", *GRID, "--monte-carlo", "200").stdout


@pytest.mark.parametrize("args, message", [
    (["--walk-forward", "0"], "1 to 1000 folds"),
    (["--walk-forward", "3", "--in-sample", "120%"], "--in-sample must be at most 100%"),
    (["--walk-forward", "3", "--in-sample", "1"], "strictly between 0 and 100%"),
    (["--walk-forward", "900"], "too few for 900 walk-forward folds"),
    (["--anchored"], "--in-sample and --anchored go with --walk-forward N"),
    (["--monte-carlo", "0"], "--monte-carlo takes 1 to 100000 paths"),
])
def test_bad_walk_forward_and_monte_carlo_options_fail_before_any_work(tradelab, args, message):
    proc = tradelab("optimize", *GRID, *args, check=False)
    assert proc.returncode != 0 and message in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") <= 4 and "Trace" not in proc.stderr, proc.stderr


def cscv(returns_by_trial, blocks=16):
    """The probability of backtest overfitting (Bailey, Borwein, López de Prado, Zhu 2015), from
    each trial's per-bar returns, written out independently of the Swift code."""
    from itertools import combinations
    import numpy as np
    n_bars = len(returns_by_trial[0]) + 1
    block_of = np.array([i * blocks // n_bars for i in range(1, n_bars)])
    r = np.array(returns_by_trial)                                   # trials x returns

    def sharpe(mask):
        x = r[:, mask]
        sd = x.std(axis=1, ddof=1)
        return np.where(sd ** 2 > 1e-24, x.mean(axis=1) / np.where(sd > 0, sd, 1), 0.0)

    logits = []
    for chosen in combinations(range(blocks), blocks // 2):
        inside = np.isin(block_of, chosen)
        is_sr, oos_sr = sharpe(inside), sharpe(~inside)
        best = int(np.argmax(is_sr))
        rank = (oos_sr < oos_sr[best]).sum() + ((oos_sr == oos_sr[best]).sum() + 1) / 2
        omega = rank / (len(r) + 1)
        logits.append(np.log(omega / (1 - omega)))
    logits = np.array(logits)
    return (logits <= 0).mean(), np.median(logits), len(logits)


def test_the_overfitting_probability_and_stability_are_computed_from_the_trials_own_returns(tradelab, tmp_path):
    results = tradelab.json("optimize", *GRID, "--constraint", "fast<slow")
    trials = [t for t in results["trials"] if t.get("objective") is not None]
    returns = []
    for t in trials:
        params = [x for name, v in t["params"].items() for x in ("--param", f"{name}={v:g}")]
        out = tmp_path / f"t{t['trial']}"
        tradelab("backtest", "--data", GOOG_CSV, *params, "--commission", "0.001", "--out", out, "--csv")
        equity = [float(r["equity"]) for r in csv.DictReader(open(out / "equity.csv"))]
        returns.append([b / a - 1 for a, b in zip(equity, equity[1:])])
    probability, median, splits = cscv(returns)
    pbo = results["guards"]["overfitting"]
    assert pbo["trials"] == len(trials) == 27 and pbo["blocks"] == 16 and pbo["combinations"] == splits == 12_870
    assert pbo["probability"] == pytest.approx(probability, abs=1e-12)
    assert pbo["medianLogit"] == pytest.approx(median, rel=1e-6, abs=1e-9)
    # Stability: the trials one step away from the best in the grid (fast 5:30:5, slow 20:100:20).
    best = results["best"]
    step = {"fast": 5, "slow": 20}
    near = [t["objective"] for t in trials if t != best
            and all(abs(t["params"][k] - best["params"][k]) <= step[k] for k in step)]
    stability = results["guards"]["stability"]
    assert stability["neighbours"] == len(near) > 0
    assert stability["mean"] == pytest.approx(sum(near) / len(near), rel=1e-12)
    assert stability["worst"] == min(near)
    assert stability["fall"] == pytest.approx((best["objective"] - sum(near) / len(near)) / abs(best["objective"]), rel=1e-12)
    report = tradelab("optimize", *GRID, "--constraint", "fast<slow").stdout
    assert "Probability of backtest overfitting" in report and "Stability: the best's" in report
