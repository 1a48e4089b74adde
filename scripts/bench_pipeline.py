#!/usr/bin/env python3
"""Run-pipeline benchmarks for `make bench`, each against a peer measured in the same run, on the
1,000,000-bar synthetic series of `tradelab bench` converted to Parquet:

- process start: `tradelab --version` against `python -c pass` and `/bin/true`;
- Parquet load alone (`timings.loadMs` of a buy-and-hold run and `tradelab bench --read`) against
  `pyarrow.parquet.read_table`, and the whole `tradelab backtest` process split into its parts;
- engine time of sma-cross in a server worker against the CLI's (`timings.engineMs`);
- a 1M-bar sma-cross run through the API, submit to `completed` with its artifacts, against the CLI
  without artifacts and with `--out`.
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
from bench_peers import best_of  # noqa: E402
from bench_server import Server, call  # noqa: E402


def run(command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def api_run(server, body):
    """Submit → completed through the API: seconds and the results' timings."""
    start = time.perf_counter()
    id = call(server.base, "POST", "/api/backtest/run", body)["id"]
    while (status := call(server.base, "GET", f"/api/backtest/{id}/status")["status"]) not in ("completed", "failed", "stopped"):
        time.sleep(0.002)
    seconds = time.perf_counter() - start
    if status != "completed":
        raise RuntimeError(f"the API run {id} ended {status}")
    return seconds, call(server.base, "GET", f"/api/backtest/{id}/results?maxPoints=10&tradesLimit=1")["timings"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tradelab", default=".build/release/tradelab")
    parser.add_argument("--bars", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    binary = os.path.abspath(args.tradelab)
    import pyarrow
    import pyarrow.parquet as pq

    root = Path(tempfile.mkdtemp(prefix="tradelab-bench-pipeline-"))
    try:
        data = root / "data"
        data.mkdir()
        csv = root / "bars.csv"
        parquet = data / "BENCH_1m.parquet"
        run([binary, "bench", "--json", "--bars", str(args.bars), "--repeats", "1", "--data-out", str(csv)])
        run([binary, "data", "convert", str(csv), str(parquet)])
        n = args.repeats

        # Process start.
        start_cost = best_of(lambda: run([binary, "--version"]), 20)
        python_start = best_of(lambda: run([sys.executable, "-c", "pass"]), 10)
        true_start = best_of(lambda: run(["/bin/true"]), 20)

        # Parquet load alone, and the whole process of a run that only reads.
        pyarrow_read = best_of(lambda: pq.read_table(parquet), 7)
        pyarrow_process = best_of(lambda: run([sys.executable, "-c", f"import pyarrow.parquet as pq; pq.read_table({str(parquet)!r})"]), n)
        bench_read = json.loads(run([binary, "bench", "--read", str(parquet), "--json"]))["read_seconds"]
        hold = [binary, "backtest", "--data", str(parquet), "--strategy", "buy-and-hold", "--json"]
        hold_process = best_of(lambda: run(hold), n)
        hold_timings = min((json.loads(run(hold))["timings"] for _ in range(n)), key=lambda t: t["totalMs"])

        # Engine: CLI and worker, sma-cross over the same bars.
        cross = [binary, "backtest", "--data", str(parquet), "--strategy", "sma-cross"]
        cli_timings = [json.loads(run(cross + ["--json"]))["timings"] for _ in range(n)]
        cli_process = best_of(lambda: run(cross), n)   # the report, as a user runs it
        out = root / "out"
        cli_out = best_of(lambda: run(cross + ["--out", str(out)]), n)
        out_bytes = sum(f.stat().st_size for f in out.iterdir())

        server = Server(binary, str(root), workers=1)
        try:
            body = {"strategy": "sma-cross", "data": {"dataset": parquet.name}, "stateEvery": 10_000}   # 100 live states
            api_run(server, body)   # warm the catalog and the page cache
            api = [api_run(server, body) for _ in range(n)]
        finally:
            server.stop()
        api_seconds = min(s for s, _ in api)
        worker_engine = statistics.median(t["engineMs"] for _, t in api)
        cli_engine = statistics.median(t["engineMs"] for t in cli_timings)

        ms = lambda s: f"{s * 1000:8.1f} ms"
        print(f"\nRun pipeline ({args.bars:,} bars, Parquet, best of {n} unless noted)")
        print(f"  process start, tradelab --version  {ms(start_cost)}   (python -c pass {ms(python_start)}, /bin/true {ms(true_start)})")
        print(f"  Parquet load, in process           {ms(bench_read)}   pyarrow {pyarrow.__version__} read_table {ms(pyarrow_read)}"
              f"  -> {bench_read / pyarrow_read:.2f}x pyarrow's time")
        print(f"  buy-and-hold, whole process        {ms(hold_process)}   python + pyarrow read, whole process {ms(pyarrow_process)}"
              f"  -> {hold_process / pyarrow_process:.2f}x")
        print(f"    of which: start ~{start_cost * 1000:.0f} ms, load {hold_timings['loadMs']:.1f} ms, "
              f"indicators {hold_timings['indicatorsMs']:.1f} ms, engine {hold_timings['engineMs']:.1f} ms, "
              f"rest {hold_process * 1000 - start_cost * 1000 - hold_timings['totalMs']:.1f} ms")
        print(f"  sma-cross engine time: worker {worker_engine:.1f} ms, CLI {cli_engine:.1f} ms (medians)"
              f"  -> worker at {worker_engine / cli_engine:.2f}x the CLI's time")
        print(f"  sma-cross, CLI whole process       {ms(cli_process)}   with --out {ms(cli_out)} ({out_bytes / 1e6:.0f} MB)")
        print(f"  sma-cross through the API          {ms(api_seconds)}   (submit -> completed, artifacts written)"
              f"  -> {api_seconds / cli_process:.2f}x the CLI without artifacts")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
