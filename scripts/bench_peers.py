#!/usr/bin/env python3
"""Peers measured in the same run as Tradelab, on the same 1,000,000 one-minute bars.

Runs `tradelab bench --json --data-out FILE`, then on that CSV: vectorbt's SMA(10/30) crossover
(from_signals, fees 0.1%) and backtesting.py's SmaCross, and pandas.read_csv for the load. Prints
each figure and Tradelab's speed-up over each peer. Peers that are not installed are skipped.
"""
import argparse
import json
import os
import subprocess
import tempfile
import time
import warnings
from pathlib import Path


def best_of(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    os.environ.setdefault("TQDM_DISABLE", "1")  # backtesting.py's progress bar
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tradelab", required=True, help="path to the release tradelab binary")
    parser.add_argument("--bars", type=int, default=1_000_000)
    parser.add_argument("--skip-backtesting-py", action="store_true", help="it takes several seconds per run")
    args = parser.parse_args()

    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "bars.csv"
        ours = json.loads(subprocess.run([args.tradelab, "bench", "--json", "--bars", str(args.bars), "--data-out", str(data)],
                                         check=True, capture_output=True, text=True).stdout)
        load = best_of(lambda: pd.read_csv(data), 3)
        df = pd.read_csv(data)
        df.index = pd.to_datetime(df["time"], unit="ms")
        close = df["close"]
        rows = [("Tradelab backtest (SMA 10/30, indicators included)", ours["backtest_seconds"], None),
                ("Tradelab CSV load", ours["csv_load_seconds"], None),
                ("pandas.read_csv (same file)", load, ours["csv_load_seconds"])]

        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
            table = pa.Table.from_pandas(pd.read_csv(data), preserve_index=False)
            for codec in ["snappy", "zstd"]:
                path = Path(tmp) / f"bars-{codec}.parquet"
                pq.write_table(table, path, compression=codec)
                theirs = best_of(lambda: pq.read_table(path), 7)
                mine = json.loads(subprocess.run([args.tradelab, "bench", "--read", str(path), "--json"], check=True,
                                                 capture_output=True, text=True).stdout)["read_seconds"]
                rows.append((f"Tradelab Parquet read ({codec}, written by pyarrow)", mine, None))
                rows.append((f"pyarrow {pa.__version__} read_table ({codec}, same file)", theirs, mine))
        except ImportError:
            print("pyarrow not installed: Parquet read comparison skipped")

        try:
            import vectorbt as vbt

            def run_vbt():
                fast = vbt.MA.run(close, 10)
                slow = vbt.MA.run(close, 30)
                pf = vbt.Portfolio.from_signals(close, fast.ma_crossed_above(slow), fast.ma_crossed_below(slow),
                                                init_cash=10_000, fees=0.001, freq="1min")
                return pf.total_return()

            run_vbt()  # numba compilation
            rows.append((f"vectorbt {vbt.__version__}", best_of(run_vbt, 3), ours["backtest_seconds"]))
        except ImportError:
            print("vectorbt not installed: skipped")

        if not args.skip_backtesting_py:
            try:
                import backtesting
                from backtesting import Backtest, Strategy
                from backtesting.lib import crossover
                from backtesting.test import SMA

                class SmaCross(Strategy):
                    def init(self):
                        self.fast = self.I(SMA, self.data.Close, 10)
                        self.slow = self.I(SMA, self.data.Close, 30)

                    def next(self):
                        if crossover(self.fast, self.slow):
                            self.position.close(); self.buy()
                        elif crossover(self.slow, self.fast):
                            self.position.close(); self.sell()

                frame = df.rename(columns=str.capitalize)[["Open", "High", "Low", "Close", "Volume"]]
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    seconds = best_of(lambda: Backtest(frame, SmaCross, cash=1e9, commission=0.001).run(), 1)
                rows.append((f"backtesting.py {backtesting.__version__}", seconds, ours["backtest_seconds"]))
            except ImportError:
                print("backtesting.py not installed: skipped")

    bars = ours["bars"]
    print(f"\nPeers on the same {bars:,.0f} bars (best of several runs; backtesting.py: one run)")
    print(f"  {'':52} {'seconds':>10} {'bars/s':>14} {'Tradelab is':>14}")
    for name, seconds, reference in rows:
        if not reference:
            ratio = ""
        elif seconds >= reference:
            ratio = f"{seconds / reference:,.1f}x faster"
        else:
            ratio = f"{reference / seconds:,.1f}x slower"
        print(f"  {name:52} {seconds:10.4f} {bars / seconds:14,.0f} {ratio:>14}")
    peak = ours["peak_extra_bytes"]
    if peak >= 0:
        print(f"\n  Tradelab peak memory above the bars: {peak / 2**20:.1f} MB "
              f"({peak / ours['column_bytes']:.2f}x the {ours['column_bytes'] / 2**20:.1f} MB of bar columns)")


if __name__ == "__main__":
    main()
