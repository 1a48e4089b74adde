"""The Optimize view in a real browser against a live server: reached from the Tuner with its
settings, ranges prefilled from the strategy's parameters, a grid with walk-forward and Monte Carlo
whose report (guards in words, heatmap with hover and click, sortable trials, folds, fan and
histogram) shows the API's numbers, a heatmap cell opening that trial's backtest report, and a
genetic search followed live (generations chart) and stopped with its trials kept.
"""
import json
import math
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .browser import DOWN, EQUITY, UP, get_json, pixels, severe_console_errors, shot, tid, wait

IS_BLUE = [0x4D, 0xA3, 0xFF]
OOS_ORANGE = [0xFF, 0x9F, 0x1C]


def post_json(base, path, body):
    request = urllib.request.Request(base.rstrip("/") + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.loads(r.read())


def set_value(d, testid, value):
    el = d.find_element(*tid(testid))
    el.clear()
    el.send_keys(str(value))


def opt_id(d):
    url = d.current_url
    return url.split("#/optimize/")[1] if "#/optimize/op_" in url else None


def cells(d):
    return json.loads(d.find_element(*tid("opt-heatmap")).get_attribute("data-cells") or "[]")


def hover(d, canvas, cell):
    """Moves the mouse to the middle of a heatmap cell (offsets are from the canvas's centre)."""
    size = canvas.size
    x = cell["left"] + cell["width"] / 2 - size["width"] / 2
    y = cell["top"] + cell["height"] / 2 - size["height"] / 2
    ActionChains(d).move_to_element_with_offset(canvas, int(x), int(y)).perform()


def rows(d):
    return [int(r.get_attribute("data-trial")) for r in d.find_elements(By.CSS_SELECTOR, '[data-testid="opt-trials"] tbody tr')]


def test_optimize_from_the_tuner_to_the_report_and_a_trial_report(server, driver):
    d, base = driver, server
    d.get_log("browser")     # what earlier tests left
    d.get(base + "#/backtest")
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '[data-testid="bt-strategy"] option[value="sma-cross"]'), 30, "no strategies")
    Select(d.find_element(*tid("bt-strategy"))).select_by_value("sma-cross")
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '[data-testid="bt-symbol"] option[value="BTCUSDT"]'), 30, "no symbols")
    Select(d.find_element(*tid("bt-symbol"))).select_by_value("BTCUSDT")
    Select(d.find_element(*tid("bt-timeframe"))).select_by_value("1h")
    Select(d.find_element(*tid("bt-range"))).select_by_value("all")
    set_value(d, "bt-commission", "0.002")
    d.find_element(*tid("bt-optimize")).click()

    # --- The Tuner's settings came along; the ranges are prefilled from the declared parameters --
    wait(d, lambda: d.current_url.endswith("#/optimize") and d.find_elements(*tid("opt-search-slow")), 30, "the Optimize view did not open")
    wait(d, lambda: d.find_element(*tid("bt-commission")).get_attribute("value") == "0.002", 10, "the account did not come along")
    assert Select(d.find_element(*tid("bt-timeframe"))).first_selected_option.get_attribute("value") == "1h"
    # sma-cross declares fast 10 in [2, 100] and slow 30 in [5, 400]: about ten values around each default.
    prefilled = {k: d.find_element(*tid(f"opt-{k}")).get_attribute("value") for k in ("from-fast", "to-fast", "step-fast", "from-slow", "to-slow", "step-slow")}
    assert prefilled == {"from-fast": "5", "to-fast": "20", "step-fast": "2", "from-slow": "15", "to-slow": "60", "step-slow": "5"}, prefilled
    assert d.find_element(*tid("opt-search-fast")).is_selected() and d.find_element(*tid("opt-constraints")).get_attribute("value") == "fast<slow"
    assert d.find_element(*tid("opt-combinations")).get_attribute("data-count") == "80"
    for key, value in (("from-fast", 5), ("to-fast", 20), ("step-fast", 5), ("from-slow", 20), ("to-slow", 60), ("step-slow", 20)):
        set_value(d, f"opt-{key}", value)
    wait(d, lambda: d.find_element(*tid("opt-combinations")).get_attribute("data-count") == "12", 5, "the count did not follow the ranges")
    d.find_element(*tid("opt-walk-forward")).click()
    set_value(d, "opt-folds", 3)
    set_value(d, "opt-monte-carlo", 300)
    shot(d, "optimize-01-form")
    d.find_element(*tid("opt-submit")).click()

    wait(d, lambda: opt_id(d), 30, "the optimization did not start")
    oid = opt_id(d)
    wait(d, lambda: d.find_element(*tid("opt-results")).get_attribute("data-loaded") == oid, 120, "no report")
    view = get_json(base, f"/api/optimize/{oid}")
    results = get_json(base, f"/api/optimize/{oid}/results")
    request = view["request"]
    assert request["paramRanges"] == {"fast": "5:20:5", "slow": "20:60:20"} and request["constraints"] == ["fast<slow"]
    assert request["account"]["commission"] == 0.002 and request["data"] == {"symbol": "BTCUSDT", "timeframe": "1h"}
    assert request["walkForward"]["folds"] == 3 and request["monteCarlo"] == 300
    trials, best = results["trials"], results["best"]
    assert len(trials) == 11 and results["guards"]["trials"] == 11

    # --- The guards in words -------------------------------------------------------------------------
    guards = d.find_element(*tid("opt-guards"))
    headline = guards.find_element(By.CSS_SELECTOR, 'li[data-guard="headline"]').text
    assert headline.startswith("Best of 11 trials"), headline
    dsr = results["guards"].get("deflatedSharpe")
    if dsr:
        verdict = "unlikely to be luck" if dsr["probability"] >= 0.95 else "could well be luck" if dsr["probability"] >= 0.5 else "likely luck"
        assert f"deflated Sharpe {dsr['probability']:.2f}: {verdict}" in headline, headline
    for key in ("overfitting", "walk-forward", "monte-carlo"):
        assert guards.find_elements(By.CSS_SELECTOR, f'li[data-guard="{key}"]'), key
    assert f"fast {best['params']['fast']} · slow {best['params']['slow']}" in d.find_element(*tid("opt-best")).text

    # --- The heatmap: every trial a cell, best green and worst red; hover shows the values -----------
    wait(d, lambda: len(cells(d)) == 11, 10, "the heatmap did not draw every trial")
    heat = pixels(d, '[data-testid="opt-heatmap"]', [UP, DOWN])
    assert heat["nonBg"] > 5000 and heat["found"][0] > 100 and heat["found"][1] > 100, heat
    canvas = d.find_element(*tid("opt-heatmap"))
    by_trial = {t["trial"]: t for t in trials}
    worst = min((t for t in trials if "objective" in t), key=lambda t: t["objective"])
    for trial in (best, worst):
        cell = next(c for c in cells(d) if c["trial"] == trial["trial"])
        hover(d, canvas, cell)
        tip = d.find_element(*tid("opt-heatmap-tip"))
        wait(d, lambda: tip.is_displayed() and tip.get_attribute("data-trial") == str(trial["trial"]), 5, f"no tip for trial {trial['trial']}")
        assert f"fast {trial['params']['fast']} · slow {trial['params']['slow']}" in tip.text
        assert f"{trial['objective']:,.4f}" in tip.text, (tip.text, trial["objective"])
    shot(d, "optimize-02-heatmap")

    # --- Trials: best first, then sorted by any column ---------------------------------------------
    counted = sorted((t for t in trials if "objective" in t), key=lambda t: (-t["objective"], t["trial"]))
    assert rows(d)[: len(counted)] == [t["trial"] for t in counted]
    d.find_element(*tid("opt-sort-3")).click()          # the objective again: ascending
    ascending = sorted(counted, key=lambda t: (t["objective"], t["trial"]))
    assert rows(d)[: len(counted)] == [t["trial"] for t in ascending]
    d.find_element(*tid("opt-sort-1")).click()          # fast, largest first
    assert [by_trial[t]["params"]["fast"] for t in rows(d)] == sorted((t["params"]["fast"] for t in trials), reverse=True)

    # --- Walk-forward folds and the Monte Carlo charts ------------------------------------------------
    folds = pixels(d, '[data-testid="opt-wf-windows"]', [IS_BLUE, OOS_ORANGE])
    assert folds["found"][0] > 200 and folds["found"][1] > 200, folds
    assert len(d.find_elements(By.CSS_SELECTOR, '[data-testid="opt-wf-table"] tbody tr')) == len(results["walkForward"]["windows"]) == 3
    wait(d, lambda: (pixels(d, '[data-testid="opt-wf-equity"]', [EQUITY]) or {"found": [0]})["found"][0] > 50, 10, "no stitched equity")
    for testid in ("opt-mc-fan", "opt-mc-histogram"):
        drawn = pixels(d, f'[data-testid="{testid}"]')
        assert drawn and drawn["nonBg"] > 2000, (testid, drawn)
    mc = results["monteCarlo"]
    summary = d.find_element(*tid("opt-mc-summary")).text
    assert f"{mc['bootstrap']['probabilityOfLoss'] * 100:.1f}% of the paths" in summary, summary
    Select(d.find_element(*tid("opt-mc-method"))).select_by_value("shuffle")
    wait(d, lambda: f"{mc['shuffle']['probabilityOfLoss'] * 100:.1f}% of the paths" in d.find_element(*tid("opt-mc-summary")).text, 5)
    shot(d, "optimize-03-report")
    assert severe_console_errors(d) == []

    # --- A cell opens that trial's backtest: the same numbers --------------------------------------------
    canvas = d.find_element(*tid("opt-heatmap"))
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    cell = next(c for c in cells(d) if c["trial"] == best["trial"])
    size = canvas.size
    ActionChains(d).move_to_element_with_offset(canvas, int(cell["left"] + cell["width"] / 2 - size["width"] / 2),
                                                int(cell["top"] + cell["height"] / 2 - size["height"] / 2)).click().perform()
    wait(d, lambda: "#/backtest/bt_" in d.current_url, 30, "the cell did not open a backtest")
    run = d.current_url.split("#/backtest/")[1]
    wait(d, lambda: d.find_element(*tid("results")).get_attribute("data-loaded") == run, 60, "no report for the trial")
    report = get_json(base, f"/api/backtest/{run}/results")
    assert report["parameters"] == best["params"] and math.isclose(report["metrics"]["finalEquity"], best["finalEquity"], rel_tol=1e-12)
    assert float(d.find_element(*tid("stat-finalEquity")).get_attribute("data-value")) == report["metrics"]["finalEquity"]
    shot(d, "optimize-04-trial-report")

    # --- The tuned model as a baseline of a run on the same data ------------------------------------
    d.get(base + "#/backtest")
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, f'[data-testid="bt-baseline"] option[value="{oid}"]'), 30, "the optimization is not offered as a baseline")


def test_a_genetic_search_shows_its_generations_live_and_a_stop_keeps_its_trials(server, driver):
    d, base = driver, server
    d.get_log("browser")
    op = post_json(base, "/api/optimize", {
        "strategy": "examples/sma_cross", "data": {"symbol": "ETHUSDT", "timeframe": "1m"},
        "paramRanges": {"fast": "2:200:1", "slow": "20:500:2"}, "constraints": ["fast<slow"],
        "method": "genetic", "population": 60, "generations": 60, "patience": 60, "progressIntervalMs": 50})
    oid = op["id"]
    d.get(base + f"#/optimize/{oid}")
    wait(d, lambda: d.find_elements(*tid("opt-live")), 30, "no live panel")
    canvas = d.find_element(*tid("opt-live-generations"))
    wait(d, lambda: int(canvas.get_attribute("data-generations") or 0) >= 2, 90, "no generations arrived")
    progress = d.find_element(*tid("opt-progress"))
    first = int(progress.get_attribute("data-done"))
    wait(d, lambda: int(progress.get_attribute("data-done")) > first, 30, "the progress did not move")
    drawn = pixels(d, '[data-testid="opt-live-generations"]', [UP])
    assert drawn["found"][0] > 50, drawn        # the best-so-far line
    assert "Best so far: fast" in d.find_element(*tid("opt-live-best")).text
    shot(d, "optimize-05-genetic-live")
    d.find_element(*tid("opt-stop")).click()
    wait(d, lambda: d.find_element(*tid("opt-results")).get_attribute("data-loaded") == oid, 60, "no report after the stop")
    assert d.find_element(*tid("opt-status")).text == "stopped"
    results = get_json(base, f"/api/optimize/{oid}/results")
    assert results["cancelled"] is True and results["trials"] and len(results["generations"]) >= 2
    wait(d, lambda: d.find_element(*tid("opt-generations-chart")).get_attribute("data-generations") == str(len(results["generations"])), 10,
         "the generations chart does not show every generation")
    assert d.find_element(By.CSS_SELECTOR, '[data-testid="opt-guards"] li[data-guard="cancelled"]').text.startswith("Stopped")
    assert len(d.find_elements(By.CSS_SELECTOR, '[data-testid="opt-trials"] tbody tr')) == min(500, len(results["trials"]))
    # Listed under the form, and the form took the search's settings back.
    assert d.find_elements(By.CSS_SELECTOR, f'[data-testid="opt-recent-item"][data-id="{oid}"]')
    assert Select(d.find_element(*tid("opt-method"))).first_selected_option.get_attribute("value") == "genetic"
    assert d.find_element(*tid("opt-population")).get_attribute("value") == "60"
    shot(d, "optimize-06-genetic-stopped")
    assert severe_console_errors(d) == []
