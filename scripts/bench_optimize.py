#!/usr/bin/env python3
"""Optimization speed (issue 11), Tradelab beside vectorbt in the same run, on the same bars.

W3 of the peer suite: the first 100,000 bars of the synthetic benchmark series, sma-cross fast
5..50 step 5 x slow 20..200 step 20 (100 combinations), cash 1,000,000 (the peer suite says
10,000, but the series trades near 40,000 and the preset buys whole units: with 10,000 nothing
would trade), commission 0.2 %, the backtesting.py preset: `tradelab optimize` with the built-in strategy and with the Lua script,
wall-clock of the whole command (load, trials, JSON out); vectorbt's grid of the same crossovers
(one `MA.run` per window list, `from_signals` on all 100 columns at once), best of 3 after numba's
compilation. Then a 10,000-combination grid on 1,000,000 bars: time
and peak memory (RSS of that process). Runs under .venv-bench when vectorbt is installed there.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Runs argv[2:] with stdout to argv[1]; prints its wall time and peak RSS (KiB) as JSON.
PEAK = """
import json, os, subprocess, sys, time
t0 = time.perf_counter()
with open(sys.argv[1], "w") as out:
    proc = subprocess.Popen(sys.argv[2:], stdout=out)
    _, status, usage = os.wait4(proc.pid, 0)
assert status == 0, status
print(json.dumps({"seconds": time.perf_counter() - t0, "peakKiB": usage.ru_maxrss}))
"""
GRID = ["--param-range", "fast=5:50:5", "--param-range", "slow=20:200:20", "--preset", "backtesting.py",
        "--cash", "1000000", "--commission", "0.002", "--objective", "finalEquity", "--json"]


def timed(cmd, repeats=3):
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
        if time.perf_counter() - t0 < best:
            best, out = time.perf_counter() - t0, proc.stdout
    return best, json.loads(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tradelab", required=True)
    parser.add_argument("--skip-big", action="store_true", help="skip the 10,000-combination grid on 1M bars")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        w3 = Path(tmp) / "w3.csv"
        subprocess.run([args.tradelab, "bench", "--json", "--bars", "100000", "--repeats", "1", "--data-out", str(w3)],
                       check=True, capture_output=True)
        native, results = timed([args.tradelab, "optimize", "--data", str(w3), *GRID])
        engine = results["timings"]["engineMs"] / 1000
        rows.append(("Tradelab optimize, built-in sma-cross (whole command)", native, None))
        rows.append(("  of which the 100 trials", engine, None))
        lua, _ = timed([args.tradelab, "optimize", "--data", str(w3), "--strategy", str(ROOT / "strategies/examples/sma_cross.lua"), *GRID])
        rows.append(("Tradelab optimize, Lua sma_cross.lua (whole command)", lua, None))
        try:
            import numpy as np
            import pandas as pd
            import vectorbt as vbt

            df = pd.read_csv(w3)
            close = pd.Series(df["close"].values, index=pd.to_datetime(df["time"], unit="ms"))
            fasts, slows = list(range(5, 51, 5)), list(range(20, 201, 20))

            def run_vbt():
                fast = vbt.MA.run(close, fasts, short_name="fast")
                slow = vbt.MA.run(close, slows, short_name="slow")
                f = fast.ma.values[:, :, None].repeat(len(slows), axis=2).reshape(len(close), -1)
                s = slow.ma.values[:, None, :].repeat(len(fasts), axis=1).reshape(len(close), -1)
                prev_f, prev_s = np.roll(f, 1, axis=0), np.roll(s, 1, axis=0)
                entries = (prev_f < prev_s) & (f > s)
                exits = (prev_f > prev_s) & (f < s)
                entries[0] = exits[0] = False
                pf = vbt.Portfolio.from_signals(close, entries, exits, init_cash=1_000_000, fees=0.002, freq="1min")
                return pf.final_value()

            run_vbt()   # numba compilation
            best = min(_t(run_vbt) for _ in range(3))
            rows.append((f"vectorbt {vbt.__version__}, the same 100 crossovers", best, native))
        except ImportError:
            print("vectorbt not installed (scripts/setup.sh bench): skipped")

        if not args.skip_big:
            big = Path(tmp) / "big.csv"
            subprocess.run([args.tradelab, "bench", "--json", "--repeats", "1", "--data-out", str(big)], check=True, capture_output=True)
            # Measured from a fresh small process: a child forked from this one (pandas, vectorbt
            # loaded) would count this process's memory in its own peak.
            out = Path(tmp) / "big.json"
            measured = json.loads(subprocess.run([sys.executable, "-c", PEAK, str(out), args.tradelab, "optimize", "--data", str(big),
                                                  "--param-range", "fast=2:101:1", "--param-range", "slow=110:1100:10",
                                                  "--commission", "0.001", "--json"], check=True, capture_output=True, text=True).stdout)
            seconds = measured["seconds"]
            results = json.loads(out.read_text())
            trials = len(results["trials"])
            rows.append((f"Tradelab optimize, {trials:,} combinations on 1,000,000 bars", seconds, None))
            print(f"  peak memory of that run: {measured['peakKiB'] / 1024:.0f} MB (RSS; the bars alone: 48 MB)")

    print("\nOptimization (W3: 100,000 bars, 100 sma-cross combinations)")
    print(f"  {'':60} {'seconds':>9} {'Tradelab is':>14}")
    for name, seconds, reference in rows:
        ratio = ""
        if reference:
            ratio = f"{seconds / reference:,.1f}x faster" if seconds >= reference else f"{reference / seconds:,.1f}x slower"
        print(f"  {name:60} {seconds:9.3f} {ratio:>14}")


def _t(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
