"""The report tells the truth (issue 10), in a real browser: the indicators the strategy declared
drawn with their real parameters, oscillators in panes kept in step with the price chart, trade
markers thinned when zoomed out and a trade-log row that zooms to its trade, the final live
figures equal to the report, a Stop that stops a script looping inside on_bar, an honest
comparison, and runs a person can tell apart (names, search, bulk delete, failure reasons).
Screenshots go to test-output/ui/."""
import json
import time
import urllib.request

import numpy as np
import pytest
import talib
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from server.test_indicators import SCRIPT as DECLARING   # ta.ema(10), ta.ema(30), ta.rsi(14), ta.macd(12, 26, 9)

from .browser import AVERAGE, EQUITY, get_json, pixels, severe_console_errors, shot, tid, wait

LOOPING = """-- @name Loops forever
function on_bar(ctx, bar)
  while true do end
end
"""
FAILING = """-- @name Fails on bar 40
function on_bar(ctx, bar)
  if ctx.index == 40 then error("boom at bar forty") end
end
"""


def post(base, path, body=None):
    req = urllib.request.Request(base.rstrip("/") + path, data=json.dumps(body or {}).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


def run(base, request, statuses=("completed", "stopped", "failed"), timeout=120):
    """Submits a run over the API and waits for it to end; returns its session."""
    sid = post(base, "/api/backtest/run", request)["id"]
    deadline = time.time() + timeout
    while (session := get_json(base, f"/api/backtest/{sid}"))["status"] not in statuses:
        assert time.time() < deadline, f"run {sid} still {session['status']}"
        time.sleep(0.2)
    return session


def open_report(d, base, sid):
    d.get(base + f"#/backtest/{sid}")
    wait(d, lambda: d.find_elements(*tid("results")) and d.find_element(*tid("results")).get_attribute("data-loaded") == sid, 60,
         "the report did not load")
    wait(d, lambda: d.execute_script("return !!(window.tradelabPrice && window.tradelabPrice.overview)"), 60, "the price chart did not load")


def js(d, script, *args):
    return d.execute_script(script, *args)


PANES = "return [...document.querySelectorAll('[data-testid^=\"chart-pane-\"]')].map(p => p.dataset.spec)"
# The visible logical (bar index) and time ranges of the price chart, then of each pane.
RANGES = """return [window.tradelabPrice.chart, ...Object.values(window.tradelabPrice.panes.charts())].map(c => {
  const l = c.timeScale().getVisibleLogicalRange(), t = c.timeScale().getVisibleRange();
  return {logical: l && [l.from, l.to], time: t && [t.from, t.to]}; })"""


def test_declared_indicators_draw_with_their_parameters_and_oscillators_get_panes_in_step(server, driver):
    d = driver
    session = run(server, {"code": DECLARING, "data": {"symbol": "BTCUSDT", "timeframe": "15m"}})
    sid = session["id"]
    assert session["status"] == "completed", session
    results = get_json(server, f"/api/backtest/{sid}/results")
    assert results["indicators"] == ["ema:10", "ema:30", "rsi:14", "macd:12,26,9"]
    open_report(d, server, sid)
    price_box = '[data-testid="panel-price"] > div'
    wait(d, lambda: js(d, f"return document.querySelector('{price_box}').dataset.indicators") == "ema:10;ema:30;rsi:14;macd:12,26,9", 30,
         "the declared indicators were not drawn")
    assert d.find_element(*tid("overlay-input")).get_attribute("value") == "ema:10, ema:30, rsi:14, macd:12,26,9"
    # EMA 10 and EMA 30 over the candles (not an "ema" of some default period), RSI and MACD below.
    titles = js(d, "return window.tradelabPrice.overlaySeries.map(s => s.options().title)")
    assert titles == ["EMA 10", "EMA 30"], titles
    assert js(d, PANES) == ["rsi:14", "macd:12,26,9"]

    # The panes hold the native values, equal to TA-Lib on the same closes.
    candles = get_json(server, f"/api/backtest/{sid}/candles")
    close = np.array(candles["close"], dtype=float)
    rsi = talib.RSI(close, 14)
    pane = d.find_element(*tid("chart-pane-rsi"))
    assert int(pane.get_attribute("data-bars")) == len(close)
    assert int(pane.get_attribute("data-points")) == int(np.count_nonzero(~np.isnan(rsi)))
    assert float(pane.get_attribute("data-last")) == pytest.approx(rsi[-1], rel=1e-12)
    macd = d.find_element(*tid("chart-pane-macd"))
    assert float(macd.get_attribute("data-last")) == pytest.approx(talib.MACD(close, 12, 26, 9)[0][-1], rel=1e-9)
    js(d, "arguments[0].scrollIntoView({block: 'center'})", macd)
    time.sleep(0.3)
    for testid in ("chart-pane-rsi", "chart-pane-macd"):
        px = pixels(d, f'[data-testid="{testid}"]')
        assert px and px["nonBg"] > 0.005 * px["total"], f"{testid} is blank: {px}"
    shot(d, "12-report-oscillator-panes")

    # In step: zooming the price chart moves the panes, scrolling a pane moves the price chart.
    js(d, "window.tradelabPrice.chart.timeScale().setVisibleLogicalRange({from: 100, to: 300})")
    time.sleep(0.2)
    ranges = js(d, RANGES)
    assert len(ranges) == 3 and all(r["logical"] == pytest.approx([100, 300], abs=0.5) for r in ranges), ranges
    js(d, "Object.values(window.tradelabPrice.panes.charts())[0].timeScale().setVisibleLogicalRange({from: 500, to: 640})")
    time.sleep(0.2)
    ranges = js(d, RANGES)
    assert all(r["logical"] == pytest.approx([500, 640], abs=0.5) for r in ranges), ranges
    assert all(r["time"] == ranges[0]["time"] for r in ranges), ranges

    # Other indicators: the panes follow the list; a bad spec is refused and keeps what was drawn.
    def set_list(text):
        field = d.find_element(*tid("overlay-input"))
        js(d, "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", field, text)

    set_list("stoch:14,3,3, adx, cci:20, sma:50")
    wait(d, lambda: js(d, PANES) == ["stoch:14,3,3", "adx:14", "cci:20"], 20, "the panes did not follow the list")
    assert js(d, "return window.tradelabPrice.overlaySeries.map(s => s.options().title)") == ["SMA 50"]
    set_list("foo:3")
    wait(d, lambda: "unknown indicator 'foo'" in d.find_element(*tid("price-note")).text, 20, "a bad spec was not reported")
    assert js(d, PANES) == ["stoch:14,3,3", "adx:14", "cci:20"]
    assert not severe_console_errors(d) or all("400" in e for e in severe_console_errors(d))


def test_markers_thin_when_zoomed_out_and_a_trade_row_zooms_to_its_trade(server, driver):
    d = driver
    session = run(server, {"strategy": "sma-cross", "params": {"fast": 2, "slow": 5},
                           "data": {"symbol": "BTCUSDT", "timeframe": "1m"}, "baseline": "buy-and-hold"})
    sid = session["id"]
    results = get_json(server, f"/api/backtest/{sid}/results?tradesLimit=0")
    assert results["tradesTotal"] > 1000, results["tradesTotal"]
    open_report(d, server, sid)
    price = d.find_element(*tid("chart-price"))
    wait(d, lambda: int(price.get_attribute("data-marker-step") or 0) > 1, 20, "thousands of trades drawn without thinning")
    step = int(price.get_attribute("data-marker-step"))
    assert int(price.get_attribute("data-markers")) < 2 * results["tradesTotal"] / step + 4
    assert "zoom in to see all" in d.find_element(*tid("marker-note")).text
    shot(d, "13-report-markers-thinned")

    # The trade log has MFE and MAE; a click on a row zooms the price chart to that trade.
    heads = [th.text for th in d.find_elements(By.CSS_SELECTOR, '[data-testid="trade-table"] th')]
    assert any(h.startswith("MFE") for h in heads) and any(h.startswith("MAE") for h in heads), heads
    rows = d.find_elements(*tid("trade-row"))
    rows[3].click()
    trades = get_json(server, f"/api/backtest/{sid}/trades?offset=3&limit=1")["trades"]
    entry = int(np.datetime64(trades[0]["entryTime"].rstrip("Z"), "s").astype(int))
    exit_ = int(np.datetime64(trades[0]["exitTime"].rstrip("Z"), "s").astype(int))

    def zoomed():
        r = js(d, "const r = window.tradelabPrice.chart.timeScale().getVisibleRange(); return r && [r.from, r.to]")
        return r and r[0] <= entry and r[1] >= exit_ and r[1] - r[0] < 6 * 3600

    wait(d, zoomed, 20, "the click did not zoom to the trade")
    wait(d, lambda: price.get_attribute("data-marker-step") == "1" and "zoomed window" in d.find_element(*tid("price-note")).text, 20,
         "zoomed in, every marker should show at full resolution")
    shot(d, "14-report-zoomed-to-trade")


def test_the_final_live_figures_equal_the_report_of_a_single_run(server, driver):
    d = driver
    d.get(server + "#/backtest")
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '[data-testid="bt-symbol"] option[value="BTCUSDT"]'), 30, "no symbols")
    Select(d.find_element(*tid("bt-strategy"))).select_by_value("sma-cross")
    Select(d.find_element(*tid("bt-symbol"))).select_by_value("BTCUSDT")
    Select(d.find_element(*tid("bt-timeframe"))).select_by_value("5m")
    Select(d.find_element(*tid("bt-range"))).select_by_value("all")
    rnd = d.find_element(*tid("bt-randomized"))
    if rnd.is_selected():
        rnd.click()
    name = d.find_element(*tid("bt-name"))
    name.clear()
    name.send_keys("final figures")
    before = d.current_url
    d.find_element(*tid("bt-submit")).click()
    wait(d, lambda: d.current_url != before and "#/backtest/bt_" in d.current_url, 30, "the run did not start")
    assert d.find_element(*tid("bt-name")).get_attribute("value") == "", "the run name stays for the next run"
    sid = d.current_url.rsplit("/", 1)[1]
    wait(d, lambda: d.find_elements(*tid("results")) and d.find_element(*tid("results")).get_attribute("data-loaded") == sid, 60, "no report")
    results = get_json(server, f"/api/backtest/{sid}/results")
    trades = get_json(server, f"/api/backtest/{sid}/trades?limit=100000")["trades"]
    m = results["metrics"]
    value = lambda testid: float(d.find_element(*tid(testid)).get_attribute("data-value"))  # noqa: E731
    realized = sum(t["pnl"] for t in trades if t["exitReason"] != "open")
    assert value("live-capital") == pytest.approx(m["finalEquity"], rel=1e-12)
    assert value("live-total-pnl") == pytest.approx(m["finalEquity"] - results["account"]["initialCash"], abs=1e-6)
    assert value("live-realized") == pytest.approx(realized, abs=1e-6)
    assert value("live-max-drawdown") == pytest.approx(-abs(m["maxDrawdown"]), abs=1e-12)
    assert int(value("live-trades")) == results["closedTrades"]
    assert d.find_element(*tid("stat-finalEquity")).get_attribute("data-value") == str(m["finalEquity"]) or \
        float(d.find_element(*tid("stat-finalEquity")).get_attribute("data-value")) == pytest.approx(m["finalEquity"], rel=1e-12)
    title = d.find_element(*tid("results-title")).text
    header = d.find_element(*tid("results-data")).text
    assert "final figures" in title and "sma-cross" in title, title
    assert "BTCUSDT" in header and "5m" in header and results["data"]["from"][:10] in header, header
    shot(d, "report-single")


def test_stop_ends_a_script_looping_inside_on_bar_at_once(server, driver):
    d = driver
    sid = post(server, "/api/backtest/run", {"code": LOOPING, "data": {"symbol": "BTCUSDT", "timeframe": "15m"}})["id"]
    d.get(server + f"#/backtest/{sid}")
    status = lambda: d.find_element(*tid("live-status")).text  # noqa: E731
    wait(d, lambda: status() == "running", 30, "the looping run never started")
    elapsed = d.find_element(*tid("live-elapsed"))
    wait(d, lambda: "limit" in elapsed.text and int(elapsed.get_attribute("data-elapsed") or 0) >= 1, 15, "no elapsed time against the limit")
    assert float(elapsed.get_attribute("data-limit")) == get_json(server, f"/api/backtest/{sid}/status")["timeLimitSeconds"]
    t0 = time.time()
    d.find_element(*tid("btn-stop")).click()
    wait(d, lambda: status() == "stopped", 15, f"Stop did not stop a looping script (status {status()})")
    assert time.time() - t0 < 10
    assert get_json(server, f"/api/backtest/{sid}")["status"] == "stopped"
    shot(d, "15-stopped-looping-script")


def test_compare_overlays_both_runs_and_colours_by_better_or_worse(server, driver):
    d = driver
    data = {"symbol": "ETHUSDT", "timeframe": "15m"}
    a = run(server, {"strategy": "sma-cross", "data": data, "account": {"commission": 0.002}, "name": "costly"})["id"]
    b = run(server, {"strategy": "sma-cross", "data": data, "account": {"commission": 0.0005}, "name": "cheap"})["id"]
    r = run(server, {"strategy": "sma-cross", "data": data, "randomized": {"runs": 5, "duration": "2d", "seed": 3}, "name": "windows"})["id"]
    ra, rb, rr = (get_json(server, f"/api/backtest/{x}/results") for x in (a, b, r))

    d.get(server + f"#/runs/compare/{a}/{b}")
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '[data-testid="chart-compare"] canvas') and d.find_elements(*tid("compare-row")), 30,
         "the comparison did not render")
    rows = {row.get_attribute("data-key"): row for row in d.find_elements(*tid("compare-row"))}
    verdict = lambda key: rows[key].find_element(*tid("compare-delta")).get_attribute("data-verdict")  # noqa: E731
    assert rb["metrics"]["commissions"] < ra["metrics"]["commissions"]
    assert verdict("commissions") == "better" and "pos" in rows["commissions"].find_element(*tid("compare-delta")).get_attribute("class")
    ret = rb["metrics"]["totalReturn"] - ra["metrics"]["totalReturn"]
    assert verdict("totalReturn") == ("better" if ret > 0 else "worse" if ret < 0 else "same")
    assert verdict("tradeCount") == "same"   # more trades is neither better nor worse
    # One chart, both runs in it.
    series = js(d, "return window.tradelabCharts.compare.timeScale().getVisibleRange() !== null")
    assert series
    time.sleep(0.3)
    px = pixels(d, '[data-testid="chart-compare"]', [EQUITY, AVERAGE])
    assert px["found"][0] > 30 and px["found"][1] > 30, px
    shot(d, "16-compare-single-runs")

    # A single run against a randomized one: comparable numbers (the mean over the windows), not n/a.
    d.get(server + f"#/runs/compare/{a}/{r}")
    wait(d, lambda: d.find_elements(*tid("compare-row")) and "mean of 5 runs" in d.find_element(*tid("compare-diff")).text, 30,
         "the randomized side is not described as a mean")
    rows = {row.get_attribute("data-key"): row for row in d.find_elements(*tid("compare-row"))}
    for key in ("totalReturn", "maxDrawdown", "sharpeRatio", "winRate", "tradeCount"):
        cells = rows[key].find_elements(By.TAG_NAME, "td")
        assert "n/a" not in cells[3].text and cells[2].text not in ("", "—", "n/a"), (key, [c.text for c in cells])
    mean = np.mean([x["metrics"]["totalReturn"] for x in rr["runs"]])
    assert mean == pytest.approx(rr["randomized"]["meanReturn"], rel=1e-9)
    shown = rows["totalReturn"].find_elements(By.TAG_NAME, "td")[2].text
    assert f"{mean * 100:.2f}" in shown, (shown, mean)
    shot(d, "17-compare-single-vs-randomized")


def test_runs_can_be_told_apart_searched_and_deleted_together(server, driver):
    d = driver
    data = {"symbol": "SOLUSDT", "timeframe": "1h"}
    keep = run(server, {"strategy": "sma-cross", "data": data, "name": "alpha keep"})["id"]
    gone = [run(server, {"strategy": "sma-cross", "data": data, "name": f"alpha drop {k}"})["id"] for k in range(2)]
    failed = run(server, {"code": FAILING, "data": data, "name": "beta fails"})
    assert failed["status"] == "failed"
    # A run compared with another keeps its baseline when reopened.
    with_base = run(server, {"strategy": "sma-cross", "params": {"fast": 5}, "data": data, "baseline": keep, "name": "gamma based"})["id"]

    d.get(server + "#/runs")
    wait(d, lambda: len(d.find_elements(*tid("run-row"))) >= 5, 30, "the runs table is empty")
    shorts = [r.find_element(By.CSS_SELECTOR, "td:nth-child(2) .hint").text for r in d.find_elements(*tid("run-row"))]
    assert len(set(shorts)) == len(shorts), f"short ids repeat: {shorts}"
    row = d.find_element(By.CSS_SELECTOR, f'[data-testid="run-row"][data-id="{failed["id"]}"]')
    assert "boom at bar forty" in row.find_element(*tid("run-error")).text

    search = d.find_element(*tid("runs-search"))
    search.send_keys("alpha drop")
    wait(d, lambda: sorted(r.get_attribute("data-id") for r in d.find_elements(*tid("run-row"))) == sorted(gone), 10, "the search did not narrow the list")
    for r in d.find_elements(*tid("run-row")):
        r.find_element(*tid("run-select")).click()
    button = d.find_element(*tid("btn-delete-selected"))
    assert button.is_enabled() and "2" in button.text
    button.click()
    wait(d, lambda: d.find_elements(*tid("confirm-ok")), 10, "no confirmation")
    d.find_element(*tid("confirm-ok")).click()
    wait(d, lambda: not d.find_elements(*tid("run-row")), 15, "the deleted runs are still listed")
    for sid in gone:
        with pytest.raises(urllib.error.HTTPError) as e:
            get_json(server, f"/api/backtest/{sid}")
        assert e.value.code == 404
    search.clear()
    search.send_keys("alpha")
    wait(d, lambda: [r.get_attribute("data-id") for r in d.find_elements(*tid("run-row"))] == [keep], 10, "the kept run is gone")

    d.get(server + f"#/backtest/{with_base}")
    wait(d, lambda: d.find_element(*tid("bt-baseline")).get_attribute("value") == keep, 30, "reopening the run did not restore its baseline")
    assert "gamma based" in d.find_element(*tid("results-title")).text
