#!/usr/bin/env python3
"""A fake Binance REST API for tests: `GET /api/v3/klines` in Binance's exact wire format.

    python tests/fakes/binance_server.py [--port 0] [--seed 1] [--symbols BTCUSDT,ETHUSDT]
        [--listing SYMBOL=2024-01-15] [--gap 2024-01-10T00:00=2024-01-10T02:00] [--page-cap N]
        [--weight-start N] [--now TIME] [--idle-exit SECONDS] [--max-lifetime SECONDS]

Prints the port on stdout (one line) once it listens on 127.0.0.1, then serves until it has been
idle for --idle-exit seconds (or --max-lifetime passed, or POST /_control/shutdown), so no server
outlives the tests that started it.

Data: deterministic synthetic klines, a pure function of (seed, symbol, interval, open time), so
every page agrees with every other and tests can compute the expected values with `kline(...)`.
Open times are aligned as Binance aligns them (weekly klines open on Mondays 00:00 UTC), start at
the symbol's listing and stop at --now (default: the real time), the still-open kline included.

Binance behaviour mirrored: startTime/endTime inclusive filters on open time; limit default 500,
max 1000; `X-MBX-USED-WEIGHT-1M` on every answer (2 per klines request, per wall-clock minute,
plus --weight-start); errors as `{"code": -1121, "msg": "Invalid symbol."}` with HTTP 400.

Fault injection (POST /_control/faults, JSON `{"faults": [rule, ...]}`), each rule:
    {"kind": "429" | "418" | "500" | "503" | "drop" | "stall" | "garbage",
     "skip": 0,            # klines requests served normally first (counted from the POST)
     "count": 1,           # consecutive klines requests affected; null = all following ones
     "retry_after": 1,     # seconds, for 429/418 (and sent with 503)
     "seconds": 5}         # for "stall": sleep this long, then drop the connection
  "drop" sends the headers with the full Content-Length, half the body, then closes the socket;
  "garbage" sends a complete 200 whose body is not JSON.
Also: POST /_control/config {"page_cap": N|null, "weight_start": N}, POST /_control/reset (faults and
counters), GET /_stats -> {"klines_requests": n, "log": [{"n", "params", "status", "fault", "t"}]}.
"""
from __future__ import annotations

import argparse
import calendar
import hashlib
import json
import socket
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

INTERVALS = {
    "1m": 60_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000,
    "1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000, "1w": 604_800_000,
}
WEEK_OFFSET = 4 * 86_400_000  # 1970-01-01 was a Thursday; weekly klines open on Mondays
DEFAULT_LISTING = 1_502_928_000_000  # 2017-08-17, when Binance listed BTCUSDT
KLINE_WEIGHT = 2


def parse_time(text: str) -> int:
    """'2024-01-10', '2024-01-10T02:00', '...Z' or epoch ms -> UTC ms."""
    if text.isdigit():
        return int(text)
    text = text.rstrip("Z")
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return calendar.timegm(datetime.strptime(text, fmt).timetuple()) * 1000
        except ValueError:
            pass
    raise ValueError(f"cannot read time {text!r}")


def align_up(t: int, step: int) -> int:
    """First open time >= t."""
    offset = WEEK_OFFSET if step == INTERVALS["1w"] else 0
    return -((offset - t) // step) * step + offset if (t - offset) % step else t


def align_down(t: int, step: int) -> int:
    """Open time of the kline containing t."""
    offset = WEEK_OFFSET if step == INTERVALS["1w"] else 0
    return (t - offset) // step * step + offset


def _units(seed: int, symbol: str, step: int, t: int) -> list[float]:
    digest = hashlib.blake2b(f"{seed}|{symbol}|{step}|{t}".encode(), digest_size=32).digest()
    return [int.from_bytes(digest[i:i + 4], "big") / 2**32 for i in range(0, 32, 4)]


def _decimal(units: int, places: int = 8) -> str:
    """An integer count of 1e-places units as Binance prints it: '42283.58000000'."""
    scale = 10**places
    return f"{units // scale}.{units % scale:0{places}d}"


def kline(seed: int, symbol: str, interval: str, t: int) -> list:
    """The kline opening at t, as the 12-element array Binance sends."""
    step = INTERVALS[interval]
    u = _units(seed, symbol, step, t)
    level = 1000 + int.from_bytes(hashlib.blake2b(symbol.encode(), digest_size=4).digest(), "big") % 60_000
    # A smooth, deterministic price path (cents) plus per-bar noise.
    phase = t / 86_400_000
    base = int(level * 100 * (1 + 0.2 * ((phase * 0.013) % 1 - 0.5) + 0.05 * ((phase * 0.37) % 1 - 0.5)))
    spread = max(1, base // 500)
    open_c = base + int((u[0] - 0.5) * spread)
    close_c = base + int((u[1] - 0.5) * spread)
    high_c = max(open_c, close_c) + int(u[2] * spread / 2)
    low_c = max(1, min(open_c, close_c) - int(u[3] * spread / 2))
    volume = int(u[4] * 5_000_000_000) + 1                       # 1e-8 units, up to 50
    quote = volume * close_c // 100                              # 1e-8 quote units
    trades = 1 + int(u[5] * 3000)
    taker_base = int(volume * u[6])
    taker_quote = taker_base * close_c // 100
    return [t, _decimal(open_c, 2) + "000000", _decimal(high_c, 2) + "000000", _decimal(low_c, 2) + "000000",
            _decimal(close_c, 2) + "000000", _decimal(volume), t + step - 1, _decimal(quote), trades,
            _decimal(taker_base), _decimal(taker_quote), "0"]


class Market:
    """The synthetic exchange: which symbols exist, since when, and where its outages are."""

    def __init__(self, seed: int, symbols: list[str], listings: dict[str, int], gaps: list[tuple[int, int]], now: int | None):
        self.seed, self.symbols, self.listings, self.gaps, self.fixed_now = seed, symbols, listings, gaps, now

    def now(self) -> int:
        return self.fixed_now if self.fixed_now is not None else int(time.time() * 1000)

    def in_gap(self, t: int) -> bool:
        return any(a <= t < b for a, b in self.gaps)

    def open_times(self, symbol: str, interval: str, start: int | None, end: int | None, limit: int) -> list[int]:
        step = INTERVALS[interval]
        first = align_up(self.listings.get(symbol, DEFAULT_LISTING), step)
        # The still-open kline is served, as Binance does; endTime is inclusive.
        last = align_down(self.now() if end is None else min(self.now(), end), step)
        if start is not None:
            t, out = align_up(max(start, first), step), []
            while t <= last and len(out) < limit:
                if not self.in_gap(t):
                    out.append(t)
                t += step
            return out
        t, out = last, []  # no startTime: the latest `limit` klines up to endTime
        while t >= first and len(out) < limit:
            if not self.in_gap(t):
                out.append(t)
            t -= step
        return out[::-1]

    def klines(self, symbol: str, interval: str, start: int | None, end: int | None, limit: int) -> list[list]:
        return [kline(self.seed, symbol, interval, t) for t in self.open_times(symbol, interval, start, end, limit)]


class State:
    """Counters, request log, fault schedule and switches, shared by the handler threads."""

    def __init__(self, page_cap: int | None, weight_start: int):
        self.lock = threading.Lock()
        self.page_cap, self.weight_start = page_cap, weight_start
        self.klines_requests = 0
        self.log: list[dict] = []
        self.faults: list[dict] = []
        self.weight_minute, self.weight_used = 0, 0
        self.last_activity = time.monotonic()

    def reset(self):
        with self.lock:
            self.klines_requests, self.log, self.faults = 0, [], []

    def add_faults(self, rules: list[dict]):
        with self.lock:
            for rule in rules:
                kind = str(rule["kind"])
                if kind not in {"429", "418", "500", "502", "503", "drop", "stall", "garbage"}:
                    raise ValueError(f"unknown fault kind {kind!r}")
                first = self.klines_requests + int(rule.get("skip", 0)) + 1
                count = rule.get("count", 1)
                self.faults.append({**rule, "kind": kind, "first": first,
                                    "last": None if count is None else first + int(count) - 1})

    def next_klines_request(self) -> tuple[int, dict | None, int]:
        """Counts a klines request; returns its number, the fault to inject (if any) and the used weight."""
        with self.lock:
            self.klines_requests += 1
            n = self.klines_requests
            fault = next((f for f in self.faults if f["first"] <= n and (f["last"] is None or n <= f["last"])), None)
            minute = int(time.time() // 60)
            if minute != self.weight_minute:
                self.weight_minute, self.weight_used = minute, 0
            self.weight_used += KLINE_WEIGHT
            return n, fault, self.weight_start + self.weight_used

    def record(self, entry: dict):
        with self.lock:
            self.log.append(entry)


def make_handler(market: Market, state: State, server_ref: list):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "fake-binance/1"

        def log_message(self, *args):  # keep test output clean
            pass

        # --- plumbing ---------------------------------------------------------------------
        def _send(self, status: int, payload, headers: dict | None = None, weight: int | None = None):
            body = payload if isinstance(payload, bytes) else json.dumps(payload, separators=(",", ":")).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            if weight is not None:
                self.send_header("X-MBX-USED-WEIGHT-1M", str(weight))
            for k, v in (headers or {}).items():
                self.send_header(k, str(v))
            self.end_headers()
            self.wfile.write(body)

        def _drop(self, status: int, body: bytes, weight: int):
            """Headers promising the whole body, half of it, then the socket closes."""
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-MBX-USED-WEIGHT-1M", str(weight))
            self.end_headers()
            self.wfile.write(body[: max(1, len(body) // 2)])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def _error(self, status: int, code: int, msg: str, weight: int | None = None, headers: dict | None = None):
            self._send(status, {"code": code, "msg": msg}, headers, weight)

        # --- routes -----------------------------------------------------------------------
        def do_GET(self):
            state.last_activity = time.monotonic()
            url = urlparse(self.path)
            if url.path == "/api/v3/klines":
                return self._klines(parse_qs(url.query))
            if url.path == "/api/v3/ping":
                return self._send(200, {})
            if url.path == "/api/v3/time":
                return self._send(200, {"serverTime": market.now()})
            if url.path == "/_stats":
                with state.lock:
                    return self._send(200, {"klines_requests": state.klines_requests, "log": list(state.log)})
            self._error(404, -1000, f"no route {url.path}")

        def do_POST(self):
            state.last_activity = time.monotonic()
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
                if url.path == "/_control/faults":
                    state.add_faults(body.get("faults", []))
                elif url.path == "/_control/config":
                    with state.lock:
                        if "page_cap" in body:
                            state.page_cap = body["page_cap"]
                        if "weight_start" in body:
                            state.weight_start = int(body["weight_start"])
                elif url.path == "/_control/reset":
                    state.reset()
                elif url.path == "/_control/shutdown":
                    self._send(200, {"ok": True})
                    threading.Thread(target=server_ref[0].shutdown, daemon=True).start()
                    return
                else:
                    return self._error(404, -1000, f"no route {url.path}")
            except (ValueError, KeyError, TypeError) as e:
                return self._error(400, -1000, f"bad control request: {e}")
            self._send(200, {"ok": True})

        def _klines(self, query: dict):
            n, fault, weight = state.next_klines_request()
            params = {k: v[-1] for k, v in query.items()}
            entry = {"n": n, "params": params, "fault": fault and fault["kind"], "t": time.monotonic()}
            status = self._serve_klines(params, fault, weight)
            entry["status"] = status
            state.record(entry)

        def _serve_klines(self, params: dict, fault: dict | None, weight: int) -> int:
            kind = fault and fault["kind"]
            if kind in ("429", "418"):
                retry_after = int(fault.get("retry_after", 1))
                msg = ("Too many requests; current limit of IP(127.0.0.1) is 1200 requests per minute. Please use the "
                       "websocket for live updates to avoid polling the API.") if kind == "429" else (
                       f"Way too many requests; IP(127.0.0.1) banned until {market.now() + retry_after * 1000}. "
                       "Please use the websocket for live updates to avoid bans.")
                self._error(int(kind), -1003, msg, weight, {"Retry-After": retry_after})
                return int(kind)
            if kind in ("500", "502", "503"):
                headers = {"Retry-After": fault["retry_after"]} if "retry_after" in fault else None
                self._error(int(kind), -1000, "An unknown error occurred while processing the request.", weight, headers)
                return int(kind)
            if kind == "stall":
                time.sleep(float(fault.get("seconds", 5)))
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return 0
            symbol, interval = params.get("symbol", ""), params.get("interval", "")
            if not symbol:
                self._error(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.", weight)
                return 400
            if symbol not in market.symbols:
                self._error(400, -1121, "Invalid symbol.", weight)
                return 400
            if interval not in INTERVALS:
                self._error(400, -1120, "Invalid interval.", weight)
                return 400
            try:
                start = int(params["startTime"]) if "startTime" in params else None
                end = int(params["endTime"]) if "endTime" in params else None
                limit = int(params.get("limit", 500))
            except ValueError:
                self._error(400, -1100, "Illegal characters found in a parameter.", weight)
                return 400
            if not 1 <= limit <= 1000:
                self._error(400, -1130, "Invalid data sent for a parameter.", weight)
                return 400
            with state.lock:
                cap = state.page_cap
            rows = market.klines(symbol, interval, start, end, min(limit, cap) if cap else limit)
            body = json.dumps(rows, separators=(",", ":")).encode()
            if kind == "drop":
                self._drop(200, body, weight)
                return 200
            if kind == "garbage":
                self._send(200, body[: len(body) // 2] + b"\x00 not json", weight=weight)
                return 200
            self._send(200, body, weight=weight)
            return 200

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--symbols", default="BTCUSDT,ETHUSDT", help="comma-separated valid symbols")
    parser.add_argument("--listing", action="append", default=[], help="SYMBOL=TIME: first kline (default 2017-08-17)")
    parser.add_argument("--gap", action="append", default=[], help="FROM=TO: no klines open in [FROM, TO) (an outage)")
    parser.add_argument("--page-cap", type=int, default=None, help="serve at most N klines per page (partial pages)")
    parser.add_argument("--weight-start", type=int, default=0, help="added to X-MBX-USED-WEIGHT-1M")
    parser.add_argument("--now", default=None, help="the exchange's current time (default: real time)")
    parser.add_argument("--idle-exit", type=float, default=60, help="exit after this many seconds without a request")
    parser.add_argument("--max-lifetime", type=float, default=600, help="exit after this many seconds regardless")
    args = parser.parse_args(argv)

    listings = {}
    for item in args.listing:
        symbol, _, when = item.partition("=")
        listings[symbol.upper()] = parse_time(when)
    gaps = []
    for item in args.gap:
        a, _, b = item.partition("=")
        gaps.append((parse_time(a), parse_time(b)))
    market = Market(args.seed, [s.strip().upper() for s in args.symbols.split(",") if s.strip()], listings, gaps,
                    parse_time(args.now) if args.now else None)
    state = State(args.page_cap, args.weight_start)
    server_ref: list = []
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(market, state, server_ref))
    server.daemon_threads = True
    server_ref.append(server)
    started = time.monotonic()

    def watchdog():
        while True:
            time.sleep(0.2)
            now = time.monotonic()
            if now - state.last_activity > args.idle_exit or now - started > args.max_lifetime:
                server.shutdown()
                return

    threading.Thread(target=watchdog, daemon=True).start()
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()


if __name__ == "__main__":
    main(sys.argv[1:])
