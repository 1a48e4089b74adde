#!/usr/bin/env python3
"""Server benchmarks for `make bench`: backtests per second through the API, and the latency of
GET /api/backtest/:id/results from the cache and from files (after a restart).

The peer measured in the same run is the CLI: the same backtests run one `tradelab backtest`
process each, as many at once as the server has workers, so the ratio shows what the API,
the queue and the worker protocol cost on top of a bare process per run. Both are timed with the
data folder already indexed (one run before the clock starts), and the CPU each side spent per
backtest is printed (the server's own, its workers', the CLI processes').
"""
import argparse
import concurrent.futures as futures
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read() or b"null")


class Server:
    def __init__(self, binary, root, workers, web="/nonexistent"):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [binary, "serve", "--port", str(self.port), "--data-dir", f"{root}/data", "--strategies-dir", f"{root}/strategies",
             "--state-dir", f"{root}/state", "--web-dir", web, "--max-workers", str(workers)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                call(self.base, "GET", "/api/engine")
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def cpu_seconds(pid):
    """CPU seconds of a process itself and of its children that have exited (its workers)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    utime, stime, cutime, cstime = (int(x) / tick for x in fields[11:15])
    return utime + stime, cutime + cstime


def wait_all(server, count):
    while True:
        runs = call(server.base, "GET", "/api/engine")["runsByStatus"]
        if runs["completed"] + runs["failed"] + runs["stopped"] >= count:
            return
        time.sleep(0.01)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tradelab", default=".build/release/tradelab")
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    binary = os.path.abspath(args.tradelab)
    workers = os.cpu_count() or 2
    root = tempfile.mkdtemp(prefix="tradelab-bench-server-")
    try:
        subprocess.run([binary, "data", "sample", "--out", f"{root}/data", "--days", "30"], check=True, stdout=subprocess.DEVNULL)
        shutil.copytree("strategies", f"{root}/strategies")
        request = {"strategy": "examples/sma_cross", "data": {"symbol": "BTCUSDT", "timeframe": "15m"}, "stateEvery": 1000}

        server = Server(binary, root, workers)
        warm = call(server.base, "POST", "/api/backtest/run", request)["id"]   # the first request indexes the fresh data folder
        wait_all(server, 1)
        cpu_before, started = cpu_seconds(server.process.pid), time.perf_counter()
        with futures.ThreadPoolExecutor(16) as pool:
            ids = list(pool.map(lambda _: call(server.base, "POST", "/api/backtest/run", request)["id"], range(args.runs)))
        wait_all(server, len(ids) + 1)
        api_seconds = time.perf_counter() - started
        server_cpu, worker_cpu = (after - before for before, after in zip(cpu_before, cpu_seconds(server.process.pid)))
        failed = [id for id in ids if call(server.base, "GET", f"/api/backtest/{id}")["status"] != "completed"]
        bars = call(server.base, "GET", f"/api/backtest/{ids[0]}/status")["totalCandles"]

        live = {}
        for every, interval in ((100_000, 0), (10, 0), (1, 0), (1, 20)):
            body = {"strategy": "examples/sma_cross", "data": {"symbol": "ETHUSDT", "timeframe": "1m"},
                    "stateEvery": every, "stateIntervalMs": interval}
            t = time.perf_counter()
            id = call(server.base, "POST", "/api/backtest/run", body)["id"]
            while call(server.base, "GET", f"/api/backtest/{id}/status")["status"] not in ("completed", "failed", "stopped"):
                time.sleep(0.005)
            live[(every, interval)] = time.perf_counter() - t
        live_bars = call(server.base, "GET", f"/api/backtest/{id}/status")["totalCandles"]

        cached = []
        for id in ids[:20]:
            call(server.base, "GET", f"/api/backtest/{id}/results")   # make sure it is cached
            t = time.perf_counter()
            call(server.base, "GET", f"/api/backtest/{id}/results")
            cached.append(time.perf_counter() - t)
        server.stop()

        server = Server(binary, root, workers)
        from_files = []
        for id in ids[20:40]:
            t = time.perf_counter()
            call(server.base, "GET", f"/api/backtest/{id}/results")
            from_files.append(time.perf_counter() - t)
        server.stop()

        cli = [binary, "backtest", "--symbol", "BTCUSDT", "--timeframe", "15m", "--data-dir", f"{root}/data",
               "--strategy", "strategies/examples/sma_cross.lua", "--json"]
        children, started = os.times(), time.perf_counter()
        with futures.ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda _: subprocess.run(cli, check=True, stdout=subprocess.DEVNULL), range(args.runs)))
        cli_seconds = time.perf_counter() - started
        after = os.times()
        cli_cpu = after.children_user - children.children_user + after.children_system - children.children_system

        print(f"\nServer API ({args.runs} Lua sma_cross backtests of {bars} 15m bars, {workers} workers)")
        print(f"  through the API        {args.runs / api_seconds:8.1f} backtests/s  ({api_seconds:.2f} s, {len(failed)} failed)")
        print(f"  CLI, process per run   {args.runs / cli_seconds:8.1f} backtests/s  ({cli_seconds:.2f} s)"
              f"  -> API at {cli_seconds / api_seconds:.2f}x the CLI's rate")
        print(f"  CPU per backtest       server {server_cpu / args.runs * 1000:.1f} ms + workers {worker_cpu / args.runs * 1000:.1f} ms"
              f" (API) vs {cli_cpu / args.runs * 1000:.1f} ms per CLI process")
        quiet = live[(100_000, 0)]
        print(f"  one Lua run of {live_bars:,} 1m bars, live state every N bars (vs {quiet:.2f} s with one state at the end):")
        for (every, interval), seconds in live.items():
            if every != 100_000:
                print(f"    stateEvery {every:>2}{f', stateIntervalMs {interval}' if interval else '':<22} {seconds:6.2f} s  ({seconds / quiet:4.1f}x)")
        print(f"  GET /results, cached   median {statistics.median(cached) * 1000:7.2f} ms")
        print(f"  GET /results, files    median {statistics.median(from_files) * 1000:7.2f} ms (first request after a restart)"
              f"  -> cache {statistics.median(from_files) / statistics.median(cached):.1f}x faster")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
