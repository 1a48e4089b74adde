"""The web IDE in a real browser (Debian chromium, headless) against a live `tradelab serve`.

Steps (issue 6): open the editor, pick a template, introduce a syntax error and see the marker and
the panel entry, fix it, save, run a randomized backtest, watch progress arrive, pause and resume,
check that the stats cards equal the API's numbers and that the charts drew. Screenshots of each
page go to test-output/ui/.
"""
import json
import math
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from .browser import AVERAGE, DOWN, EQUITY, SHOTS, UP, get_json as _get, headline, pixels, severe_console_errors, shot, tid, wait

TEST_STRATEGY = "ui_test_ema"


def live_id(d):
    """The live panel's run id, read in one step: the panel is replaced when a new run starts."""
    return d.execute_script("const p = document.querySelector('[data-testid=\"live-panel\"]'); return p ? p.dataset.id : null")


def test_editor_to_backtest_report(server, driver):
    d = driver
    base = server
    t_start = time.time()

    # --- Editor, template picker ---------------------------------------------------------------
    d.get(base + "#/editor")
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, ".monaco-editor"), 60, "Monaco did not load")
    assert d.find_element(*tid("tradingview-attribution")).is_displayed()
    assert not d.find_element(*tid("vendor-missing")).is_displayed()
    d.find_element(*tid("btn-template")).click()
    wait(d, lambda: d.find_elements(*tid("template-item")), 30, "no templates listed")
    items = d.find_elements(*tid("template-item"))
    assert len(items) == 6, [i.get_attribute("data-name") for i in items]
    ema = next(i for i in items if i.get_attribute("data-name").endswith("ema_crossover"))
    ema.click()
    wait(d, lambda: "@name EMA Crossover" in d.find_element(*tid("template-preview")).text)
    shot(d, "01-template-picker")
    d.find_element(*tid("template-use")).click()
    name_input = wait(d, lambda: d.find_element(*tid("prompt-input")))
    name_input.clear()
    name_input.send_keys(TEST_STRATEGY)
    d.find_element(*tid("prompt-ok")).click()
    wait(d, lambda: d.find_element(*tid("editor-title")).text == TEST_STRATEGY, 30, "the new strategy did not open")
    wait(d, lambda: d.find_elements(*tid("problems-none")), 30, "a fresh template should validate cleanly")
    original = d.execute_script("return window.tradelab.editor.getValue()")
    assert "@name EMA Crossover" in original
    shot(d, "02-editor")

    # --- A syntax error: marker in the editor and an entry in the problems panel -----------------
    d.find_element(By.CSS_SELECTOR, ".monaco-editor .view-lines").click()
    typed = "\nlocal x = = 1"
    ActionChains(d).key_down(Keys.CONTROL).send_keys(Keys.END).key_up(Keys.CONTROL).perform()
    ActionChains(d).send_keys(typed).perform()
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '[data-testid="problem-item"][data-severity="error"]'), 30,
         "no error in the problems panel")
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, ".monaco-editor .squiggly-error"), 30, "no error marker in the editor")
    problem = d.find_element(By.CSS_SELECTOR, '[data-testid="problem-item"][data-severity="error"]')
    assert int(problem.get_attribute("data-line")) > original.count("\n") - 1, problem.text
    markers = d.execute_script("return window.tradelab.monaco.editor.getModelMarkers({}).filter(m => m.severity === 8).length")
    assert markers >= 1
    assert d.find_element(*tid("editor-dirty")).is_displayed()
    shot(d, "03-editor-syntax-error")
    problem.click()  # jumps to the line
    assert d.execute_script("return window.tradelab.editor.getPosition().lineNumber") == int(problem.get_attribute("data-line"))

    # --- Fix it -------------------------------------------------------------------------------
    d.find_element(By.CSS_SELECTOR, ".monaco-editor .view-lines").click()
    ActionChains(d).key_down(Keys.CONTROL).send_keys(Keys.END).key_up(Keys.CONTROL).perform()
    ActionChains(d).send_keys(Keys.BACKSPACE * len(typed)).perform()
    wait(d, lambda: d.execute_script("return window.tradelab.editor.getValue()") == original, 10, "the fix did not restore the text")
    wait(d, lambda: d.find_elements(*tid("problems-none")), 30, "the error did not clear")
    wait(d, lambda: not d.find_elements(By.CSS_SELECTOR, ".monaco-editor .squiggly-error"), 10, "the marker did not clear")

    # --- The metadata form edits the header; save with Ctrl+S ------------------------------------
    author = d.find_element(*tid("meta-author"))
    author.clear()
    author.send_keys("UI Test")
    wait(d, lambda: "-- @author UI Test" in d.execute_script("return window.tradelab.editor.getValue()"), 10,
         "the form did not update the header")
    # A deliberately slow on_bar, so the run lasts long enough to pause and resume it.
    d.execute_script("""
      const ed = window.tradelab.editor, m = ed.getModel();
      const line = m.getLinesContent().findIndex(l => l.startsWith('function on_bar')) + 1;
      ed.executeEdits('test', [{range: new window.tradelab.monaco.Range(line + 1, 1, line + 1, 1),
        text: '  local busy = 0\\n  for i = 1, 20000 do busy = busy + i end\\n'}]);
    """)
    d.find_element(By.CSS_SELECTOR, ".monaco-editor .view-lines").click()
    ActionChains(d).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
    wait(d, lambda: not d.find_element(*tid("editor-dirty")).is_displayed(), 30, "Ctrl+S did not save")
    saved = _get(base, f"/api/strategies/{TEST_STRATEGY}")
    assert "-- @author UI Test" in saved["code"] and "busy = busy + i" in saved["code"]
    assert saved["isValid"] is True

    # --- Run a randomized backtest from the editor ------------------------------------------------
    d.find_element(*tid("btn-run-backtest")).click()
    wait(d, lambda: d.find_elements(*tid("bt-form")) and d.find_element(*tid("view-backtest")).is_displayed())
    # "Run backtest" submits at once with the form's defaults; we want a randomized run, so the form
    # is set up and submitted again (the first run is kept in the history for the comparison).
    first_id = wait(d, lambda: live_id(d)
                    or (d.find_elements(*tid("results")) and d.find_element(*tid("results")).get_attribute("data-loaded")), 60,
                    "the run from the editor did not start")
    Select(d.find_element(*tid("bt-strategy"))).select_by_value(TEST_STRATEGY)
    Select(d.find_element(*tid("bt-symbol"))).select_by_value("BTCUSDT")
    Select(d.find_element(*tid("bt-timeframe"))).select_by_value("1m")
    Select(d.find_element(*tid("bt-range"))).select_by_value("all")
    rnd = d.find_element(*tid("bt-randomized"))
    if not rnd.is_selected():
        rnd.click()
    for testid, value in (("bt-runs", "8"), ("bt-duration", "3d"), ("bt-seed", "7"), ("bt-state-every", "20")):
        el = d.find_element(*tid(testid))
        el.clear()
        el.send_keys(value)
    d.find_element(*tid("bt-submit")).click()
    wait(d, lambda: live_id(d) not in (None, first_id),
         30, "the randomized run did not start")
    run_id = live_id(d)
    assert f"#/backtest/{run_id}" in d.current_url

    # --- Progress arrives over the WebSocket; pause and resume ------------------------------------
    status = lambda: d.find_element(*tid("live-status")).text  # noqa: E731
    wait(d, lambda: status() == "running" or status() in ("completed", "stopped", "failed"), 60, "the run never started")
    assert status() == "running", f"the run ended before it could be paused ({status()}); make it slower"
    wait(d, lambda: int(d.find_element(*tid("ws-updates")).get_attribute("data-count")) >= 2, 30, "no live updates arrived")
    wait(d, lambda: float(d.find_element(*tid("progress-bar")).get_attribute("data-progress")) > 0, 30, "the progress bar did not move")
    assert d.find_element(*tid("live-capital")).text not in ("", "—")
    shot(d, "04-backtest-live")
    d.find_element(*tid("btn-pause")).click()
    wait(d, lambda: status() == "paused", 15, "pause did not take effect")
    assert _get(base, f"/api/backtest/{run_id}")["status"] == "paused"
    s1 = _get(base, f"/api/backtest/{run_id}/status")
    time.sleep(1.0)
    s2 = _get(base, f"/api/backtest/{run_id}/status")
    assert s2["status"] == "paused" and s2["currentCandleIndex"] == s1["currentCandleIndex"], (s1, s2)
    # While paused, the live figures say what they are and add up: total = realized + unrealized,
    # equity = initial capital + total, the max drawdown no shallower than the current one.
    live = d.execute_script("""return Object.fromEntries([...document.querySelectorAll('[data-testid="live-panel"] .card')]
        .map(c => [c.querySelector('.card-label').textContent, Number(c.querySelector('.card-value').dataset.value)]))""")
    assert {"Equity", "Drawdown now", "Max drawdown", "Realized P&L", "Unrealized P&L", "Total P&L"} <= set(live), live
    assert live["Total P&L"] == pytest.approx(live["Realized P&L"] + live["Unrealized P&L"], abs=1e-6), live
    assert live["Equity"] == pytest.approx(10_000 + live["Total P&L"], abs=1e-6), live
    assert live["Max drawdown"] <= live["Drawdown now"] <= 0, live
    busy = lambda: d.find_element(By.ID, "engine-info").get_attribute("data-busy") or "-1"  # noqa: E731
    wait(d, lambda: int(busy()) >= 1, 10, "the header does not count the paused run's worker")
    shot(d, "05-backtest-paused")
    d.find_element(*tid("btn-resume")).click()
    wait(d, lambda: status() in ("running", "completed"), 15, "resume did not take effect")

    # --- The report: stats cards equal the API's numbers; the charts drew ------------------------
    wait(d, lambda: d.find_element(*tid("results")).get_attribute("data-loaded") == run_id, 300, "the report did not load")
    wait(d, lambda: "price chart" in d.find_element(*tid("render-time")).text, 60, "the price chart did not load")
    api = _get(base, f"/api/backtest/{run_id}/results")
    assert api["status"] == "completed"
    summary = headline(api)
    cards = d.find_elements(By.CSS_SELECTOR, '[data-testid^="stat-"][data-key]')
    assert len(cards) >= 4, "too few stats cards"
    for card in cards:
        key = card.get_attribute("data-key")
        raw = card.get_attribute("data-value")
        assert key in summary, key
        want = summary[key]
        if want is None:
            assert raw == "null", (key, raw)
        elif isinstance(want, (int, float)):
            assert float(raw) == pytest.approx(want, rel=1e-12, abs=1e-12), (key, raw, want)
        else:
            assert raw == str(want), (key, raw, want)
    shown = [c.get_attribute("data-key") for c in cards]
    # Buy-and-hold over the same windows: a card with the mean, a column with each window's return.
    assert "baselineReturn" in shown and "randomized" in api and len(api["baseline"]["runs"]) == 8
    holds = {r["run"]: r["metrics"]["totalReturn"] for r in api["baseline"]["runs"]}
    text_of = lambda testid: d.execute_script(f"return document.querySelector('[data-testid=\"{testid}\"]').innerText")  # noqa: E731
    cells = d.execute_script("return [...document.querySelectorAll('[data-testid=\"run-hold-return\"]')].map(c => c.dataset.value)")
    assert len(cells) == 8 and all(float(v) == pytest.approx(holds[k + 1], rel=1e-12) for k, v in enumerate(cells)), cells
    assert "average of the windows" in text_of("panel-equity")
    for key in ("bestRun", "worstRun"):   # an index, shown with that run's return
        row = next(r for r in api["runs"] if r["run"] == summary[key])
        text = text_of(f"stat-{key}")
        assert f"#{summary[key]} (" in text and f"{row['metrics']['totalReturn'] * 100:.2f}"[:4] in text, (key, text, row["metrics"]["totalReturn"])
    for key in ("runs", "meanReturn", "totalTrades"):
        if key in summary:
            assert key in shown, f"{key} is in the summary but has no card"

    d.execute_script("document.querySelector('[data-testid=\"chart-equity\"]').scrollIntoView()")
    time.sleep(0.3)
    eq = pixels(d, '[data-testid="chart-equity"]', [AVERAGE, EQUITY])
    assert eq and eq["found"][0] + eq["found"][1] > 50, f"equity chart blank: {eq}"
    dd = pixels(d, '[data-testid="chart-drawdown"]', [DOWN])
    assert dd and dd["found"][0] > 50, f"drawdown chart blank: {dd}"
    price = pixels(d, '[data-testid="chart-price"]', [UP, DOWN])
    assert price and price["found"][0] > 50 and price["found"][1] > 50, f"candles not drawn: {price}"
    for chart in ("returns-hist", "monthly", "scatter", "hours"):
        px = pixels(d, f'[data-testid="chart-{chart}"]')
        assert px and px["nonBg"] > 0.01 * px["total"], f"canvas chart {chart} is blank: {px}"
    assert d.find_elements(*tid("trade-table")) or d.find_elements(*tid("empty-state"))
    perf = d.execute_script("return window.tradelabPerf")
    print(f"report render: {perf}")
    shot(d, "06-backtest-report")
    shot(d, "report-randomized")
    d.execute_script("document.querySelector('[data-testid=\"panel-price\"]').scrollIntoView()")
    time.sleep(0.3)
    shot(d, "07-backtest-report-price")

    # --- Runs history and a side-by-side comparison ---------------------------------------------
    deadline = time.time() + 120
    while _get(base, f"/api/backtest/{first_id}")["status"] not in ("completed", "failed", "stopped"):
        assert time.time() < deadline, "the run from the editor did not finish"
        time.sleep(0.3)
    wait(d, lambda: busy() == "0", 10, "the header still counts busy workers after every run ended")
    d.get(base + "#/runs")
    wait(d, lambda: len(d.find_elements(*tid("run-row"))) >= 2, 30, "the runs table is empty")
    rows = {r.get_attribute("data-id"): r for r in d.find_elements(*tid("run-row"))}
    assert run_id in rows and first_id in rows
    shot(d, "08-runs")
    rows[run_id].find_element(*tid("run-select")).click()
    rows[first_id].find_element(*tid("run-select")).click()
    d.find_element(*tid("btn-compare")).click()
    wait(d, lambda: len(d.find_elements(*tid("compare-col"))) == 2 and d.find_elements(By.CSS_SELECTOR, '[data-testid="chart-compare"] canvas'),
         30, "the comparison did not render")
    time.sleep(0.5)
    shot(d, "09-compare")

    errors = severe_console_errors(d)
    assert not errors, errors
    print(f"UI flow took {time.time() - t_start:.1f}s; screenshots in {SHOTS}")


def test_own_data_is_listed_and_the_trade_log_pages(server, driver):
    """A file dropped into data/ can be found, backtested and read back page by page in the IDE."""
    d = driver
    d.get(server + "#/backtest")
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '[data-testid="bt-my-data"] option[value="GOOG"]'), 30,
         "GOOG.csv is in the data folder but not under 'My data'")
    catalog = _get(server, "/api/symbols")
    goog = next(x for x in catalog["datasets"] if x["symbol"] == "GOOG")
    option = d.find_element(By.CSS_SELECTOR, '[data-testid="bt-my-data"] option[value="GOOG"]')
    assert "1d" in option.text and f"{goog['bars']:,}" in option.text, option.text

    # The search narrows the list to what matches: the curated GOOGL first, then the user's GOOG.
    search = d.find_element(*tid("bt-symbol-search"))
    search.send_keys("goo")
    visible = d.execute_script("""return [...document.querySelectorAll('[data-testid="bt-symbol"] option')]
                                  .filter(o => !o.hidden && o.style.display !== 'none').map(o => o.value)""")
    assert visible == ["GOOGL", "GOOG"], visible
    search.clear()

    Select(d.find_element(*tid("bt-strategy"))).select_by_value("sma-cross")
    Select(d.find_element(*tid("bt-symbol"))).select_by_value("GOOG")
    wait(d, lambda: d.find_element(*tid("bt-timeframe")).get_attribute("value") == "1d", 10,
         "a daily dataset should select the 1d timeframe")
    Select(d.find_element(*tid("bt-range"))).select_by_value("all")
    rnd = d.find_element(*tid("bt-randomized"))
    if rnd.is_selected():
        rnd.click()
    before = d.current_url
    d.find_element(*tid("bt-submit")).click()
    wait(d, lambda: d.current_url != before and "#/backtest/bt_" in d.current_url, 30, "the GOOG run did not start")
    run_id = d.current_url.rsplit("/", 1)[1]
    wait(d, lambda: d.find_elements(*tid("results")) and d.find_element(*tid("results")).get_attribute("data-loaded") == run_id, 60,
         "the GOOG report did not load")
    results = _get(server, f"/api/backtest/{run_id}/results")
    assert results["status"] == "completed" and results["data"]["symbol"] == "GOOG"

    # Every chart opens with the whole run in view, and zooming out still shows it all.
    wait(d, lambda: d.execute_script("return !!(window.tradelabCharts && window.tradelabCharts.price)"), 60, "the price chart did not load")
    first, last = results["equity"]["time"][0], results["equity"]["time"][-1]
    visible = """return Object.fromEntries(Object.entries(window.tradelabCharts).map(([k, c]) => {
                   const r = c.timeScale().getVisibleRange(); return [k, r && [r.from, r.to]]; }))"""

    def whole_run_in_view(what):
        ranges = d.execute_script(visible)
        for name in ("equity", "drawdown", "price"):
            shown = ranges[name]
            assert shown and shown[0] <= first and shown[1] >= last, f"{what}: the {name} chart shows {shown}, the run is {first}..{last}"

    time.sleep(0.3)   # the second fit runs on the next frames
    whole_run_in_view("after load")
    for name in ("equity", "price"):
        host = d.find_element(By.CSS_SELECTOR, f'[data-testid="chart-{name}"]')
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", host)
        for _ in range(5):
            ActionChains(d).scroll_to_element(host).scroll_by_amount(0, 600).perform()   # the wheel zooms out
    time.sleep(0.3)
    whole_run_in_view("after zooming out")

    # The canvas charts put their ticks at round values, and counts on whole numbers.
    def round_step(ticks):
        steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
        assert len(ticks) >= 2 and len(steps) == 1, ticks
        step = steps.pop()
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert any(abs(mantissa - m) < 1e-6 for m in (1, 2, 2.5, 5)), (step, ticks)
        assert all(abs(t / step - round(t / step)) < 1e-6 for t in ticks), ticks
        return step

    for chart, whole in (("returns-hist", "y"), ("scatter", ""), ("hours", "xy")):
        canvas = d.find_element(By.CSS_SELECTOR, f'[data-testid="chart-{chart}"]')
        for axis in "xy":
            ticks = json.loads(canvas.get_attribute(f"data-{axis}-ticks") or "[]")
            step = round_step(ticks)
            if axis in whole:
                assert step >= 1 and all(float(t).is_integer() for t in ticks), (chart, axis, ticks)

    # The header names the data: symbol, timeframe and range.
    header = d.find_element(*tid("results-data")).text
    assert "GOOG" in header and "1d" in header and results["data"]["from"][:10] in header, header

    # The trade log pages through /trades: page 2 shows trades 26..50 of the run.
    total = results["tradesTotal"]
    assert total > 25, f"sma-cross on GOOG should trade more than one page ({total})"
    wait(d, lambda: d.find_elements(*tid("trade-page")), 30, "no trade log")
    assert f"({total:,} trades)" in d.find_element(*tid("trade-page")).text
    d.find_element(*tid("trade-next")).click()
    wait(d, lambda: d.find_element(*tid("trade-page")).text.strip().startswith("Page 2 of"), 10, "the next page did not open")
    page = _get(server, f"/api/backtest/{run_id}/trades?offset=25&limit=25")["trades"]
    rows = d.find_elements(*tid("trade-row"))
    assert len(rows) == len(page) == min(25, total - 25)
    shown = [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows]   # the Entry column (no Run column: one run)
    assert shown == [t["entryTime"][:16].replace("T", " ") for t in page], (shown[:3], page[:3])
    shot(d, "10-own-data-trade-log")
    errors = severe_console_errors(d)
    assert not errors, errors


def test_a_range_outside_the_data_is_refused_in_the_form(server, driver):
    """Item 10 of the report issue: a range outside the data, or reversed, never becomes a failed run."""
    d = driver
    d.get(server + "#/backtest")
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '[data-testid="bt-symbol"] option[value="BTCUSDT"]'), 30, "no symbols")
    Select(d.find_element(*tid("bt-symbol"))).select_by_value("BTCUSDT")
    Select(d.find_element(*tid("bt-range"))).select_by_value("custom")
    before = len(_get(server, "/api/backtest?limit=1000")["sessions"])
    btc = next(x for c in _get(server, "/api/symbols")["categories"] for x in c["symbols"] if x["symbol"] == "BTCUSDT")

    def choose(start, end):
        d.execute_script("""const [s, e, a, b] = arguments;
          for (const [el, v] of [[s, a], [e, b]]) { el.value = v; el.dispatchEvent(new Event('change')); }""",
                         d.find_element(*tid("bt-start")), d.find_element(*tid("bt-end")), start, end)

    for start, end, words in (("1990-01-01", "1990-02-01", "the dataset runs from"), ("2024-01-20", "2024-01-10", "before the end")):
        choose(start, end)
        hint = d.find_element(*tid("bt-range-hint"))
        wait(d, lambda: hint.get_attribute("data-problem") == "1", 10, f"no problem shown for {start}..{end}")
        assert words in hint.text, hint.text
        if words.startswith("the dataset"):
            assert btc["from"][:10] in hint.text and btc["to"][:10] in hint.text, hint.text
        d.find_element(*tid("bt-submit")).click()
        box = d.find_element(*tid("bt-form-error"))
        wait(d, lambda: box.is_displayed() and words in box.text, 10, "the form did not refuse the range")
    time.sleep(0.5)
    assert len(_get(server, "/api/backtest?limit=1000")["sessions"]) == before, "a refused range still created a run"
    shot(d, "11-range-refused")
    choose(btc["from"][:10], btc["to"][:10])
    wait(d, lambda: d.find_element(*tid("bt-range-hint")).get_attribute("data-problem") == "", 10, "a good range is still refused")
