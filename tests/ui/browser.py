"""Helpers of the browser tests: waiting, test ids, screenshots, canvas pixels, the API."""
import json
import socket
import time
import urllib.request
from pathlib import Path

from selenium.webdriver.common.by import By  # installed by scripts/setup.sh (requirements-test.txt)
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "ui"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(base, path):
    with urllib.request.urlopen(base.rstrip("/") + path, timeout=30) as r:
        return json.loads(r.read())


def wait_http(url, proc, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"tradelab serve exited with {proc.returncode}:\n{proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer {url} within {seconds}s")


def tid(testid):
    return (By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def wait(d, cond, seconds=30, what=""):
    return WebDriverWait(d, seconds, poll_frequency=0.1).until(lambda _: cond(), message=what)


def shot(d, name):
    d.save_screenshot(str(SHOTS / f"{name}.png"))


def severe_console_errors(d):
    return [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]


# Reads the pixels of every canvas under a container; returns how many pixels are close to each
# wanted RGB colour and how many differ from the background.
PIXELS_JS = """
const [sel, colors, bg] = arguments;
const root = document.querySelector(sel);
if (!root) return null;
const canvases = root.tagName === 'CANVAS' ? [root] : Array.from(root.querySelectorAll('canvas'));
const found = colors.map(() => 0);
let nonBg = 0, total = 0;
for (const c of canvases) {
  if (!c.width || !c.height) continue;
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    total++;
    const r = data[i], g = data[i + 1], b = data[i + 2];
    if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 30) nonBg++;
    colors.forEach((col, k) => {
      if (Math.abs(r - col[0]) + Math.abs(g - col[1]) + Math.abs(b - col[2]) < 40) found[k]++;
    });
  }
}
return {found, nonBg, total, canvases: canvases.length};
"""
BG = [0x11, 0x16, 0x1D]
UP = [0x26, 0xA6, 0x9A]
DOWN = [0xEF, 0x53, 0x50]
AVERAGE = [0xFF, 0xD1, 0x66]
EQUITY = [0x4D, 0xA3, 0xFF]


def pixels(d, selector, colors=()):
    return d.execute_script(PIXELS_JS, selector, [list(c) for c in colors], BG)


def headline(results):
    """The numbers the stats cards show: the run's metrics or the randomized aggregate."""
    out = dict(results.get("metrics") or {})
    out.update(results.get("randomized") or {})
    if results.get("randomized"):
        out["totalTrades"] = results["tradesTotal"]
    if results.get("baseline") and "runId" not in results["baseline"]:
        out["baselineReturn"] = results["baseline"]["totalReturn"]
    return out


