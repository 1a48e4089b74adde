"""A live `tradelab serve` (sample data, the repo's strategies, backtesting.py's GOOG.csv as a
user's own file) and a headless chromium, shared by every browser test.

TRADELAB_UI_URL=http://127.0.0.1:PORT/ runs against a server that is already up instead.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from selenium import webdriver  # installed by scripts/setup.sh (requirements-test.txt)
from selenium.webdriver.chrome.service import Service

from .browser import CHROMEDRIVER, CHROMIUM, ROOT, SHOTS, free_port, wait_http

GOOG = Path(__import__("backtesting").__file__).parent / "test" / "GOOG.csv"   # backtesting.py's daily GOOG bars


@pytest.fixture(scope="session")
def server(tradelab, tmp_path_factory):
    """Base URL of a live server on a free loopback port, with sample data and the repo's strategies."""
    if os.environ.get("TRADELAB_UI_URL"):
        yield os.environ["TRADELAB_UI_URL"]
        return
    tmp = tmp_path_factory.mktemp("ui")
    tradelab("data", "sample", "--out", tmp / "data", "--days", 10)
    shutil.copy(GOOG, tmp / "data" / "GOOG.csv")   # a user's own file, next to the curated symbols
    shutil.copytree(ROOT / "strategies", tmp / "strategies")
    port = free_port()
    log = open(tmp / "server.log", "w+")
    proc = subprocess.Popen([str(tradelab.binary), "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--data-dir", str(tmp / "data"), "--strategies-dir", str(tmp / "strategies"),
                             "--state-dir", str(tmp / "state"), "--web-dir", str(ROOT / "web")],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_http(base + "api/engine", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.seek(0)
        tail = log.read()[-3000:]
        if tail:
            print("--- server log (tail) ---\n" + tail)
        log.close()


@pytest.fixture(scope="session")
def driver():
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            pytest.fail(f"{path} is missing: run scripts/setup.sh (it installs chromium and chromium-driver)")
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download a driver
    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--force-device-scale-factor=1"):
        opts.add_argument(arg)
    opts.binary_location = CHROMIUM
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    d.set_window_size(1280, 900)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield d
    d.quit()
