"""`tradelab data fetch` against the fake Binance (tests/fakes/binance_server.py) over real HTTP on 127.0.0.1.

Every test starts its own fake server (a subprocess, stopped at teardown and by its own idle timer),
runs the real CLI binary against it and compares the cached partitions value for value with what
the server serves.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "tests" / "fakes" / "binance_server.py"
NOW = "2024-06-15T10:30:00Z"  # the CLI's clock (--now): June 2024 is the open month


def _fake_module():
    spec = importlib.util.spec_from_file_location("fake_binance_server", SERVER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fake = _fake_module()


def ms(text: str) -> int:
    return fake.parse_time(text)


class FakeBinance:
    """A running fake server: its URL, counters, request log and fault switches."""

    def __init__(self, *args: str):
        self.errors = tempfile.TemporaryFile("w+")  # a file, not a pipe: a chatty server never blocks
        self.proc = subprocess.Popen([sys.executable, str(SERVER), "--port", "0", "--idle-exit", "30", "--max-lifetime", "120", *args],
                                     stdout=subprocess.PIPE, stderr=self.errors, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline() if ready else ""
        if not line.strip().isdigit():
            self.close()
            self.errors.seek(0)
            raise RuntimeError(f"fake Binance did not start: {line!r} {self.errors.read()}")
        self.url = f"http://127.0.0.1:{int(line)}"

    def _call(self, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        with urllib.request.urlopen(urllib.request.Request(self.url + path, data=data), timeout=10) as response:
            return json.loads(response.read())

    def stats(self) -> dict:
        return self._call("/_stats")

    def requests(self) -> int:
        return self.stats()["klines_requests"]

    def log(self) -> list[dict]:
        return self.stats()["log"]

    def faults(self, *rules: dict):
        self._call("/_control/faults", {"faults": list(rules)})

    def config(self, **switches):
        self._call("/_control/config", switches)

    def reset(self):
        self._call("/_control/reset", {})

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc.stdout:
            self.proc.stdout.close()
        self.errors.close()


@pytest.fixture
def binance():
    """Starts fake servers on demand (`binance("--gap", "A=B")`); all stop at teardown."""
    servers: list[FakeBinance] = []

    def start(*args: str) -> FakeBinance:
        servers.append(FakeBinance(*args))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def fetch_args(server: FakeBinance, data: Path, interval: str, start: str, end: str, *extra, symbol: str = "BTCUSDT") -> list:
    return ["data", "fetch", "--symbol", symbol, "--interval", interval, "--from", start, "--to", end, "--data-dir", data,
            "--base-url", server.url, "--now", NOW, "--wait-scale", "0.01", *extra]


def fetch(tradelab, server, data, interval, start, end, *extra, **kw) -> dict:
    """Runs a fetch that must succeed; returns its JSON report."""
    return json.loads(tradelab(*fetch_args(server, data, interval, start, end, *extra, "--json", **kw)).stdout)


def expected(interval: str, start: str, end: str, symbol="BTCUSDT", gaps=(), listing=None) -> list[list[float]]:
    """What the server has in [start, end), as numbers, computed by the server's own code."""
    market = fake.Market(1, [symbol], {symbol: ms(listing)} if listing else {}, [(ms(a), ms(b)) for a, b in gaps], ms(end) - 1)
    rows = market.klines(symbol, interval, ms(start), ms(end) - 1, 10**9)
    return [[k[0], *map(float, k[1:6]), float(k[7]), k[8], float(k[9]), float(k[10])] for k in rows]


EXT = "parquet"


def cached(data: Path, interval: str, symbol="BTCUSDT") -> list[list[float]]:
    """Every row of the cached partitions, oldest first, as numbers."""
    import pyarrow.parquet as pq  # the cache is Parquet; read it with an independent reader
    rows = []
    for path in sorted((data / "binance" / symbol / interval).glob(f"*.{EXT}")):
        table = pq.read_table(path)
        assert table.column_names == ["time", "open", "high", "low", "close", "volume", "quote_asset_volume", "number_of_trades",
                                      "taker_buy_base_asset_volume", "taker_buy_quote_asset_volume"]
        columns = table.to_pydict()
        for k in range(table.num_rows):
            t = columns["time"][k]
            t = int(t.timestamp() * 1000) if hasattr(t, "timestamp") else int(t)
            rows.append([t, *(float(columns[c][k]) for c in table.column_names[1:7]), int(columns["number_of_trades"][k]),
                         float(columns["taker_buy_base_asset_volume"][k]), float(columns["taker_buy_quote_asset_volume"][k])])
    return rows


def assert_exact(data: Path, interval: str, start: str, end: str, **kw):
    got, want = cached(data, interval), expected(interval, start, end, **kw)
    times = [r[0] for r in got]
    assert len(times) == len(set(times)), "duplicate bars in the cache"
    assert len(got) == len(want), f"{len(got)} bars cached, the server has {len(want)}"
    assert got == want


def test_multi_month_fetch_equals_the_servers_data_value_for_value(tradelab, binance, tmp_path):
    server = binance()
    report = fetch(tradelab, server, tmp_path, "15m", "2024-01-01", "2024-04-01")
    assert report["bars"] == report["barsFetched"] == 91 * 96
    assert report["monthsFetched"] == ["2024-01", "2024-02", "2024-03"] and report["gaps"] == []
    assert report["files"] == [f"binance/BTCUSDT/15m/2024-0{m}.{EXT}" for m in (1, 2, 3)]
    assert_exact(tmp_path, "15m", "2024-01-01", "2024-04-01")
    log = server.log()
    assert len(log) == report["requests"] == 9                    # 2,976 / 2,784 / 2,976 bars: 3 pages a month
    assert all(e["params"]["limit"] == "1000" and e["params"]["interval"] == "15m" for e in log)
    # Paging: each page starts one interval after the previous page's last open time.
    jan = [int(e["params"]["startTime"]) for e in log[:3]]
    assert jan == [ms("2024-01-01") + k * 1000 * 900_000 for k in range(3)]
    sidecar = json.loads((tmp_path / "binance/BTCUSDT/15m/2024-02.coverage.json").read_text())
    assert sidecar["complete"] and sidecar["bars"] == sidecar["expectedBars"] == 2784


def test_a_second_fetch_of_the_same_range_sends_no_request(tradelab, binance, tmp_path):
    server = binance()
    fetch(tradelab, server, tmp_path, "1h", "2024-01-01", "2024-04-01")
    before = server.requests()
    again = fetch(tradelab, server, tmp_path, "1h", "2024-01-01", "2024-04-01")
    assert server.requests() == before
    assert again["requests"] == 0 and again["barsFromCache"] == again["bars"] == 91 * 24
    assert again["monthsFromCache"] == ["2024-01", "2024-02", "2024-03"]


def test_extending_the_range_fetches_only_the_new_months(tradelab, binance, tmp_path):
    server = binance()
    fetch(tradelab, server, tmp_path, "15m", "2024-01-01", "2024-03-01")
    before = server.requests()
    report = fetch(tradelab, server, tmp_path, "15m", "2024-01-01", "2024-05-01")
    new = server.log()[before:]
    assert new and all(int(e["params"]["startTime"]) >= ms("2024-03-01") for e in new)
    assert report["monthsFromCache"] == ["2024-01", "2024-02"] and report["monthsFetched"] == ["2024-03", "2024-04"]
    assert_exact(tmp_path, "15m", "2024-01-01", "2024-05-01")


def test_429_and_418_are_waited_out_for_retry_after_and_the_fetch_succeeds(tradelab, binance, tmp_path):
    server = binance()
    server.faults({"kind": "429", "skip": 1, "retry_after": 2}, {"kind": "418", "skip": 3, "retry_after": 1})
    report = fetch(tradelab, server, tmp_path, "15m", "2024-01-01", "2024-03-01", "--wait-scale", "0.25")
    assert report["rateLimitPauses"] == 2 and report["waitedSeconds"] == 3
    assert_exact(tmp_path, "15m", "2024-01-01", "2024-03-01")
    log = server.log()
    for k, entry in enumerate(log):
        if entry["fault"] in ("429", "418"):
            waited = log[k + 1]["t"] - entry["t"]
            assert waited >= (2 if entry["fault"] == "429" else 1) * 0.25 * 0.95, f"retried {entry['fault']} after {waited:.3f} s"
            assert log[k + 1]["params"] == entry["params"]         # the same page, asked again


def test_a_retry_after_beyond_max_wait_fails_with_one_line(tradelab, binance, tmp_path):
    server = binance()
    server.faults({"kind": "418", "retry_after": 7200})
    proc = tradelab(*fetch_args(server, tmp_path, "1h", "2024-01-01", "2024-02-01", "--max-wait", "60"), check=False)
    assert proc.returncode != 0
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "HTTP 418" in proc.stderr and "7200 s" in proc.stderr and "--max-wait" in proc.stderr
    assert server.requests() == 1


def test_used_weight_near_the_limit_pauses_until_the_next_minute(tradelab, binance, tmp_path):
    server = binance("--weight-start", "1150")
    report = fetch(tradelab, server, tmp_path, "1h", "2024-01-01", "2024-03-01", "--max-weight", "1100", "--wait-scale", "0.001")
    assert report["rateLimitPauses"] == report["requests"] == 2
    assert 2 <= report["waitedSeconds"] <= 2 * 61
    below = fetch(tradelab, binance(), tmp_path / "other", "1h", "2024-01-01", "2024-03-01", "--max-weight", "1100")
    assert below["rateLimitPauses"] == 0


def test_dropped_connections_and_server_errors_are_retried_with_no_loss_and_no_duplicate(tradelab, binance, tmp_path):
    server = binance()
    server.faults({"kind": "drop", "skip": 1}, {"kind": "500", "skip": 3}, {"kind": "drop", "skip": 5},
                  {"kind": "garbage", "skip": 7}, {"kind": "503", "skip": 9})
    report = fetch(tradelab, server, tmp_path, "15m", "2024-01-01", "2024-04-01")
    assert report["retries"] == 5 and report["requests"] == 9 + 5
    assert [e["fault"] for e in server.log() if e["fault"]] == ["drop", "500", "drop", "garbage", "503"]
    assert_exact(tmp_path, "15m", "2024-01-01", "2024-04-01")


def test_a_stalled_request_times_out_and_is_retried(tradelab, binance, tmp_path):
    server = binance()
    server.faults({"kind": "stall", "skip": 1, "seconds": 5})
    started = time.monotonic()
    report = fetch(tradelab, server, tmp_path, "1h", "2024-01-01", "2024-03-01", "--timeout", "1")
    assert report["retries"] == 1 and time.monotonic() - started < 4
    assert_exact(tmp_path, "1h", "2024-01-01", "2024-03-01")


def test_partial_pages_lose_nothing(tradelab, binance, tmp_path):
    server = binance("--page-cap", "137")
    report = fetch(tradelab, server, tmp_path, "15m", "2024-02-01", "2024-03-01")
    assert report["bars"] == 29 * 96 and report["requests"] == -(-29 * 96 // 137)
    assert_exact(tmp_path, "15m", "2024-02-01", "2024-03-01")


def test_a_fetch_that_fails_hard_then_reruns_gives_exactly_the_full_data(tradelab, binance, tmp_path):
    server = binance()
    server.faults({"kind": "500", "skip": 4, "count": None})   # pages 1-4 arrive, then the exchange is down
    proc = tradelab(*fetch_args(server, tmp_path, "15m", "2024-01-01", "2024-04-01", "--attempts", "3"), check=False)
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1
    assert "giving up after 3 attempts: HTTP 500" in proc.stderr
    # January is cached whole; February keeps its first page (1,000 bars) with its coverage.
    feb = json.loads((tmp_path / "binance/BTCUSDT/15m/2024-02.coverage.json").read_text())
    assert feb["bars"] == 1000 and not feb["complete"] and feb["to"] == ms("2024-02-01") + 1000 * 900_000
    server.reset()
    report = fetch(tradelab, server, tmp_path, "15m", "2024-01-01", "2024-04-01")
    starts = [int(e["params"]["startTime"]) for e in server.log()]
    assert min(starts) == ms("2024-02-01") + 1000 * 900_000       # resumed where it stopped
    assert report["barsFromCache"] == 2976 + 1000
    assert_exact(tmp_path, "15m", "2024-01-01", "2024-04-01")


def test_a_fetch_killed_mid_way_then_rerun_gives_exactly_the_full_data(tradelab, binance, tmp_path):
    server = binance()
    server.faults({"kind": "stall", "skip": 4, "seconds": 20})  # request 5 (February, page 2) hangs
    proc = subprocess.Popen([str(tradelab.binary), *map(str, fetch_args(server, tmp_path, "15m", "2024-01-01", "2024-04-01"))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while server.requests() < 5 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert server.requests() == 5
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    folder = tmp_path / "binance/BTCUSDT/15m"
    assert sorted(p.name for p in folder.iterdir()) == ["2024-01.coverage.json", f"2024-01.{EXT}"]
    server.reset()
    report = fetch(tradelab, server, tmp_path, "15m", "2024-01-01", "2024-04-01")
    assert report["monthsFromCache"] == ["2024-01"] and report["monthsFetched"] == ["2024-02", "2024-03"]
    assert_exact(tmp_path, "15m", "2024-01-01", "2024-04-01")


def test_ctrl_c_mid_fetch_keeps_what_arrived_and_the_rerun_completes_it(tradelab, binance, tmp_path):
    server = binance()
    server.faults({"kind": "stall", "skip": 4, "seconds": 20})  # February's second page hangs
    proc = subprocess.Popen([str(tradelab.binary), *map(str, fetch_args(server, tmp_path, "15m", "2024-01-01", "2024-04-01"))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while server.requests() < 5 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=5)                      # the hung request is cancelled, not waited for
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    assert proc.returncode == 130 and "interrupted" in err and len(err.strip().splitlines()) == 1
    feb = json.loads((tmp_path / "binance/BTCUSDT/15m/2024-02.coverage.json").read_text())
    assert feb["bars"] == 1000 and not feb["complete"]
    server.reset()
    report = fetch(tradelab, server, tmp_path, "15m", "2024-01-01", "2024-04-01")
    assert report["barsFromCache"] == 2976 + 1000
    assert_exact(tmp_path, "15m", "2024-01-01", "2024-04-01")


def test_a_gap_on_the_exchange_is_reported_not_invented(tradelab, binance, tmp_path):
    gap = ("2024-01-10T00:00", "2024-01-10T02:00")
    server = binance("--gap", "=".join(gap))
    proc = tradelab(*fetch_args(server, tmp_path, "15m", "2024-01-01", "2024-02-01"))
    assert "gaps          1 (8 bars missing on Binance, not filled):" in proc.stdout
    assert "2024-01-10 00:00 → 2024-01-10 02:00 (8 bars)" in proc.stdout
    assert_exact(tmp_path, "15m", "2024-01-01", "2024-02-01", gaps=[gap])
    report = fetch(tradelab, server, tmp_path, "15m", "2024-01-01", "2024-02-01")
    assert report["gaps"] == [{"from": ms(gap[0]), "to": ms(gap[1]), "missingBars": 8}] and report["requests"] == 0


def test_an_invalid_symbol_gives_a_one_line_error(tradelab, binance, tmp_path):
    server = binance()
    proc = tradelab(*fetch_args(server, tmp_path, "1h", "2024-01-01", "2024-02-01", symbol="BTCUSDX"), check=False)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "BTCUSDX" in lines[0] and "-1121" in lines[0] and "Invalid symbol." in lines[0]
    assert server.requests() == 1 and not (tmp_path / "binance" / "BTCUSDX").exists()
    bad = tradelab(*fetch_args(server, tmp_path, "1h", "2024-01-01", "2024-02-01", symbol="../x"), check=False)
    assert bad.returncode != 0 and "letters and digits" in bad.stderr and server.requests() == 1


def test_a_listing_mid_month_completes_the_month_with_fewer_bars(tradelab, binance, tmp_path):
    server = binance("--listing", "BTCUSDT=2024-02-14T06:00")
    report = fetch(tradelab, server, tmp_path, "1h", "2024-01-01", "2024-04-01")
    assert report["bars"] == (16 * 24 - 6) + 31 * 24 and report["gaps"] == []
    assert "no bars before 2024-02-14T06:00:00Z (the listing, or an outage)" in report["notes"]
    assert report["files"] == [f"binance/BTCUSDT/1h/2024-02.{EXT}", f"binance/BTCUSDT/1h/2024-03.{EXT}"]
    jan = json.loads((tmp_path / "binance/BTCUSDT/1h/2024-01.coverage.json").read_text())
    assert jan["complete"] and jan["bars"] == 0 and jan["file"] is None
    assert_exact(tmp_path, "1h", "2024-01-01", "2024-04-01", listing="2024-02-14T06:00")
    before = server.requests()
    fetch(tradelab, server, tmp_path, "1h", "2024-01-01", "2024-04-01")
    assert server.requests() == before


def test_weekly_klines_open_on_mondays_and_belong_to_the_month_they_open_in(tradelab, binance, tmp_path):
    server = binance()
    report = fetch(tradelab, server, tmp_path, "1w", "2024-01-01", "2024-04-01")
    assert report["bars"] == 13 and report["requests"] == 3
    assert_exact(tmp_path, "1w", "2024-01-01", "2024-04-01")
    assert [len(cached(tmp_path, "1w")[:5])] == [5]
    jan = json.loads((tmp_path / "binance/BTCUSDT/1w/2024-01.coverage.json").read_text())
    assert jan["bars"] == 5 and jan["complete"]


def test_the_open_month_is_fetched_again_and_complete_months_are_not(tradelab, binance, tmp_path):
    server = binance()
    first = fetch(tradelab, server, tmp_path, "1h", "2024-05-01", "2024-07-01")
    assert first["coveredTo"] == ms("2024-06-15T10:00") and first["bars"] == (31 + 14) * 24 + 10
    before = server.requests()
    again = fetch(tradelab, server, tmp_path, "1h", "2024-05-01", "2024-07-01")
    assert [int(e["params"]["startTime"]) for e in server.log()[before:]] == [ms("2024-06-01")]
    assert again["monthsFromCache"] == ["2024-05"] and again["monthsFetched"] == ["2024-06"]
    june = json.loads((tmp_path / "binance/BTCUSDT/1h/2024-06.coverage.json").read_text())
    assert not june["complete"] and june["to"] == ms("2024-06-15T10:00")


def test_fetched_minutes_appear_in_the_catalog_and_backtest_by_symbol(tradelab, binance, tmp_path):
    server = binance()
    report = fetch(tradelab, server, tmp_path, "1m", "2024-01-01", "2024-02-01")
    assert report["bars"] == 44_640 and report["requests"] == 45
    listing = json.loads(tradelab("data", "list", "--data-dir", tmp_path, "--json").stdout)
    assert [(e["symbol"], e["timeframe"], e["path"], e["rows"]) for e in listing] == [("BTCUSDT", "1m", f"binance/BTCUSDT/1m/2024-01.{EXT}", 44_640)]
    assert "quote_asset_volume" in listing[0]["columns"]
    result = tradelab.json("backtest", "--symbol", "BTCUSDT", "--timeframe", "1h", "--data-dir", tmp_path, "--strategy", "sma-cross")
    assert result["data"]["bars"] == 744 and result["data"]["timeframe"] == "1h"


def test_the_fake_server_stops_by_itself_when_idle(binance):
    server = binance("--idle-exit", "0.5")
    assert server.proc.wait(5) == 0
