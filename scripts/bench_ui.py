#!/usr/bin/env python3
"""Web IDE paint times for `make bench`: a finished run of 100,800 one-minute bars (70 days) opened
in headless Chromium, cold (new browser each time). Reports the report's first paint and the
price chart's paint, both since navigation, as recorded by the page in `window.tradelabPerf`.

The peer measured in the same run is the bare chart library: Lightweight Charts drawing all
100,800 candles (paint, then the cost of one zoomed-out frame while panning), against the same
library drawing the 3,000 merged candles the IDE asks the server for.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_server import Server, call  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def browser():
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_for(driver, script, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(script)


BARE_CHART = """
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
const load = () => new Promise((resolve) => {
  if (window.LightweightCharts) return resolve();
  const s = document.createElement('script');
  s.src = '/vendor/lightweight-charts/lightweight-charts.js';
  s.onload = resolve;
  document.head.appendChild(s);
});
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
(async () => {
  await load();
  const c = await (await fetch('/api/backtest/%s/candles' + query)).json();
  const box = document.createElement('div'); box.style.cssText = 'position:fixed;left:0;top:0;width:1200px;height:600px;z-index:99';
  document.body.appendChild(box);
  const t0 = performance.now();
  const chart = LightweightCharts.createChart(box, {width: 1200, height: 600});
  chart.addCandlestickSeries().setData(c.time.map((t, i) => ({time: t, open: c.open[i], high: c.high[i], low: c.low[i], close: c.close[i]})));
  chart.timeScale().fitContent();
  await frame(); await frame();
  const paint = performance.now() - t0;
  // Zoomed out to the whole range: the cost of one redraw (a pan by one bar), averaged.
  const range = chart.timeScale().getVisibleLogicalRange();
  const t1 = performance.now();
  for (let k = 1; k <= 20; k++) {
    chart.timeScale().setVisibleLogicalRange({from: range.from + k, to: range.to + k});
    await frame();
  }
  const perFrame = (performance.now() - t1) / 20;
  chart.remove(); box.remove();
  done([paint, perFrame, c.count]);
})();
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tradelab", default=".build/release/tradelab")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.tradelab)
    root = tempfile.mkdtemp(prefix="tradelab-bench-ui-")
    server = None
    try:
        subprocess.run([binary, "data", "sample", "--out", f"{root}/data", "--days", "70"], check=True, stdout=subprocess.DEVNULL)
        shutil.copytree(ROOT / "strategies", f"{root}/strategies")
        server = Server(binary, root, 2, web=str(ROOT / "web"))
        run = call(server.base, "POST", "/api/backtest/run",
                   {"strategy": "sma-cross", "data": {"symbol": "BTCUSDT", "timeframe": "1m"}, "stateEvery": 100000})
        while call(server.base, "GET", f"/api/backtest/{run['id']}/status")["status"] not in ("completed", "failed"):
            time.sleep(0.05)
        status = call(server.base, "GET", f"/api/backtest/{run['id']}/status")
        report, price, full, merged = [], [], [], []
        for _ in range(args.repeats):
            driver = browser()
            try:
                driver.get(f"{server.base}/#/backtest/{run['id']}")
                perf = wait_for(driver, "return window.tradelabPerf && window.tradelabPerf.priceChartSinceNavigationMs && window.tradelabPerf")
                report.append(perf["firstPaintSinceNavigationMs"])
                price.append(perf["priceChartSinceNavigationMs"])
                driver.set_script_timeout(60)
                full.append(driver.execute_async_script(BARE_CHART % run["id"], ""))
                merged.append(driver.execute_async_script(BARE_CHART % run["id"], "?maxPoints=3000"))
            finally:
                driver.quit()
        print(f"\nWeb IDE, a finished run of {status['totalCandles']:,} 1m bars, cold browser, median of {args.repeats}")
        print(f"  report first paint since navigation   {statistics.median(report):7.0f} ms")
        print(f"  price chart painted since navigation  {statistics.median(price):7.0f} ms")
        med = lambda rows, k: statistics.median(row[k] for row in rows)  # noqa: E731
        print(f"  Lightweight Charts with all {full[0][2]:,} candles: paint {med(full, 0):5.0f} ms, "
              f"zoomed-out frame {med(full, 1):6.1f} ms ({1000 / med(full, 1):5.1f} fps)")
        print(f"  ... with the {merged[0][2]:,} merged candles the IDE loads: paint {med(merged, 0):5.0f} ms, "
              f"zoomed-out frame {med(merged, 1):6.1f} ms ({1000 / med(merged, 1):5.1f} fps)"
              f"  -> paint {med(full, 0) / med(merged, 0):.1f}x faster (frames are capped by the 60 Hz refresh)")
        print(json.dumps({"reportMs": report, "priceChartMs": price, "allCandles": full, "mergedCandles": merged}))
    finally:
        if server:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
