#!/usr/bin/env python3
"""Parquet fixtures for Tradelab's Parquet reader, written by the common writers.

    gen_parquet_fixtures.py OUTDIR
        Writes one deterministic OHLCV table (100,000 one-minute bars with an extra numeric
        column `signal` holding some nulls and a text column `symbol`) with pyarrow, pandas,
        polars, DuckDB and fastparquet in their default and several non-default settings, plus
        samples of what the reader refuses. Alongside: expected.csv / expected_daily.csv (the
        values, UTC milliseconds and round-trip float text; an empty `signal` is a null) and
        manifest.json describing every file and what reading it must give.
        Also tables for ParquetTableReader (tables_*.parquet: int64, timestamp[ms, UTC], double,
        dictionary and unique strings, bool; several writers' settings, and what it refuses),
        described with their exact values in tables.json.

    gen_parquet_fixtures.py --check FILE.parquet EXPECTED.csv
        Reads FILE with pyarrow, polars and DuckDB and compares every value (exactly, NaN
        equal to NaN) and the time column (UTC milliseconds, tz-aware UTC type) with the CSV.
        Exit status 0 and one "ok" line per reader, or 1 with the first difference.

    gen_parquet_fixtures.py --bench OUTDIR ROWS
        Writes ROWS OHLCV rows with pyarrow's defaults (SNAPPY and ZSTD) and prints, as JSON,
        each file and the best of 7 `pyarrow.parquet.read_table` times in seconds.

Used by Tests/TradelabDataTests/Parquet at test time through the project's .venv.
"""
import csv
import json
import math
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROWS = 100_000
START_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z


def base_table(rows=ROWS, daily=False):
    rng = np.random.default_rng(20240101)
    steps = rng.normal(0.0, 0.001, rows)
    close = np.round(100.0 * np.exp(np.cumsum(steps)), 2)
    open_ = np.round(np.concatenate([[100.0], close[:-1]]), 2)
    high = np.round(np.maximum(open_, close) + np.abs(rng.normal(0, 0.05, rows)), 2)
    low = np.round(np.minimum(open_, close) - np.abs(rng.normal(0, 0.05, rows)), 2)
    volume = np.round(rng.exponential(10.0, rows), 3)
    signal = rng.normal(0.0, 1.0, rows)
    signal_mask = np.zeros(rows, dtype=bool)
    signal_mask[::97] = True
    step = 86_400_000 if daily else 60_000
    times = START_MS - (rows * step if daily else 0) + np.arange(rows, dtype=np.int64) * step
    symbols = np.array(["BTCUSDT", "ETHUSDT", "SOLUSDT"])[np.arange(rows) % 3]
    return {
        "time": times, "open": open_, "high": high, "low": low, "close": close, "volume": volume,
        "signal": signal, "signal_mask": signal_mask, "symbol": symbols,
    }


def arrow_table(d, time_type=pa.timestamp("ms", tz="UTC"), time_name="time", extra=None):
    if time_type == "seconds":
        t = pa.array(d["time"] // 1000, type=pa.int64())
    elif pa.types.is_timestamp(time_type):
        unit = time_type.unit
        scale = {"s": 1 / 1000, "ms": 1, "us": 1000, "ns": 1_000_000}[unit]
        t = pa.array((d["time"] * scale).astype(np.int64), type=pa.int64()).cast(time_type)
    elif time_type == pa.date32():
        t = pa.array((d["time"] // 86_400_000).astype(np.int32), type=pa.int32()).cast(pa.date32())
    else:
        t = pa.array(d["time"], type=time_type)
    cols = {
        time_name: t,
        "open": pa.array(d["open"]), "high": pa.array(d["high"]), "low": pa.array(d["low"]),
        "close": pa.array(d["close"]), "volume": pa.array(d["volume"]),
        "signal": pa.array(d["signal"], mask=d["signal_mask"]),
        "symbol": pa.array(d["symbol"]),
    }
    if extra:
        cols.update(extra)
    return pa.table(cols)


def write_expected(path, d):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["time", "open", "high", "low", "close", "volume", "signal"])
        for i in range(len(d["time"])):
            sig = "" if d["signal_mask"][i] else repr(float(d["signal"][i]))
            w.writerow([int(d["time"][i])] + [repr(float(d[k][i])) for k in ("open", "high", "low", "close", "volume")] + [sig])


def generate(out):
    os.makedirs(out, exist_ok=True)
    d = base_table()
    daily = base_table(rows=2000, daily=True)
    write_expected(os.path.join(out, "expected.csv"), d)
    write_expected(os.path.join(out, "expected_daily.csv"), daily)
    table = arrow_table(d)
    manifest = []

    def ok(name, writer, expected="expected.csv", features=("signal",), skipped=("symbol",), row_groups=None, time_column="time", **extra):
        entry = {"file": name, "writer": writer, "expect": "ok", "expected": expected, "features": list(features),
                 "skipped": list(skipped), "timeColumn": time_column}
        if row_groups is not None:
            entry["rowGroups"] = row_groups
        entry.update(extra)
        manifest.append(entry)

    def err(name, writer, contains):
        manifest.append({"file": name, "writer": writer, "expect": "error", "contains": contains})

    p = lambda name: os.path.join(out, name)

    # pyarrow: defaults and variants.
    pq.write_table(table, p("pyarrow_default.parquet"))
    ok("pyarrow_default.parquet", "pyarrow default (SNAPPY, v1 pages, dictionary)")
    pq.write_table(table, p("pyarrow_v2pages.parquet"), data_page_version="2.0")
    ok("pyarrow_v2pages.parquet", "pyarrow data_page_version=2.0")
    pq.write_table(table, p("pyarrow_v2pages_zstd.parquet"), data_page_version="2.0", compression="zstd")
    ok("pyarrow_v2pages_zstd.parquet", "pyarrow v2 pages, ZSTD")
    pq.write_table(table, p("pyarrow_nodict.parquet"), use_dictionary=False)
    ok("pyarrow_nodict.parquet", "pyarrow use_dictionary=False")
    pq.write_table(table, p("pyarrow_rowgroups.parquet"), row_group_size=10_000)
    ok("pyarrow_rowgroups.parquet", "pyarrow row_group_size=10000", row_groups=10)
    for codec in ("gzip", "zstd", "none"):
        pq.write_table(table, p(f"pyarrow_{codec}.parquet"), compression=codec)
        ok(f"pyarrow_{codec}.parquet", f"pyarrow compression={codec}")
    pq.write_table(table, p("pyarrow_dict_fallback.parquet"), dictionary_pagesize_limit=2048, data_page_size=4096)
    ok("pyarrow_dict_fallback.parquet", "pyarrow small dictionary limit (dictionary then PLAIN pages)")
    pq.write_table(table, p("pyarrow_format1.parquet"), version="1.0")
    ok("pyarrow_format1.parquet", "pyarrow version=1.0 (ConvertedType annotations)")
    for unit in ("us", "ns"):
        pq.write_table(arrow_table(d, pa.timestamp(unit, tz="UTC")), p(f"pyarrow_ts_{unit}.parquet"))
        ok(f"pyarrow_ts_{unit}.parquet", f"pyarrow timestamp[{unit}, UTC]")
    pq.write_table(arrow_table(d, pa.timestamp("ms")), p("pyarrow_ts_naive.parquet"))
    ok("pyarrow_ts_naive.parquet", "pyarrow timestamp[ms] without zone (isAdjustedToUTC=false)")
    pq.write_table(arrow_table(d, pa.int64(), time_name="timestamp"), p("pyarrow_epoch_ms.parquet"))
    ok("pyarrow_epoch_ms.parquet", "pyarrow int64 epoch milliseconds", time_column="timestamp")
    pq.write_table(arrow_table(d, "seconds", time_name="ts"), p("pyarrow_epoch_s.parquet"))
    ok("pyarrow_epoch_s.parquet", "pyarrow int64 epoch seconds", time_column="ts")
    pq.write_table(arrow_table(daily, pa.date32(), time_name="date"), p("pyarrow_date.parquet"))
    ok("pyarrow_date.parquet", "pyarrow date32 daily bars", expected="expected_daily.csv", time_column="date")

    # pandas: the index written as a column.
    df = table.to_pandas()
    indexed = df.set_index("time")
    indexed.index.name = None
    indexed.to_parquet(p("pandas_index.parquet"))
    ok("pandas_index.parquet", "pandas to_parquet, unnamed DatetimeIndex (__index_level_0__)", time_column="__index_level_0__")
    named = df.set_index("time")
    named.index.name = "Date"
    named.to_parquet(p("pandas_named_index.parquet"))
    ok("pandas_named_index.parquet", "pandas to_parquet, index named Date", time_column="Date")

    # polars defaults (ZSTD, statistics, one page per column chunk).
    import polars as pl
    pl.from_arrow(table).write_parquet(p("polars_default.parquet"))
    ok("polars_default.parquet", "polars write_parquet defaults")

    # DuckDB COPY TO (SNAPPY; dictionary strings, bloom filters).
    import duckdb
    con = duckdb.connect()
    con.register("bars", table)
    con.execute(f"COPY (SELECT * FROM bars) TO '{p('duckdb.parquet')}' (FORMAT parquet, CODEC 'snappy')")
    ok("duckdb.parquet", "duckdb COPY TO (SNAPPY)")
    con.execute(f"COPY (SELECT * FROM bars) TO '{p('duckdb_zstd_rowgroups.parquet')}' (FORMAT parquet, CODEC 'zstd', ROW_GROUP_SIZE 20000)")
    ok("duckdb_zstd_rowgroups.parquet", "duckdb COPY TO (ZSTD, ROW_GROUP_SIZE 20000)")
    con.close()

    # fastparquet (uncompressed, PLAIN, old-style statistics).
    import fastparquet
    fastparquet.write(p("fastparquet.parquet"), df, compression=None, write_index=False, stats=True)
    ok("fastparquet.parquet", "fastparquet write (uncompressed)")
    fastparquet.write(p("fastparquet_snappy.parquet"), df, compression="SNAPPY", write_index=False, row_group_offsets=25_000)
    ok("fastparquet_snappy.parquet", "fastparquet write (SNAPPY, row groups of 25000)", row_groups=4)

    # What the reader refuses, and data errors.
    nodict = dict(use_dictionary=False)
    pq.write_table(table, p("unsupported_byte_stream_split.parquet"), column_encoding={"close": "BYTE_STREAM_SPLIT"}, **nodict)
    err("unsupported_byte_stream_split.parquet", "pyarrow BYTE_STREAM_SPLIT close", ["unsupported", "BYTE_STREAM_SPLIT", "'close'"])
    pq.write_table(table, p("unsupported_delta.parquet"), column_encoding={"time": "DELTA_BINARY_PACKED"}, **nodict)
    err("unsupported_delta.parquet", "pyarrow DELTA_BINARY_PACKED time", ["unsupported", "DELTA_BINARY_PACKED", "'time'"])
    pq.write_table(table, p("unsupported_lz4.parquet"), compression="lz4")
    err("unsupported_lz4.parquet", "pyarrow LZ4", ["unsupported", "LZ4", "codec"])
    pq.write_table(table, p("unsupported_brotli.parquet"), compression="brotli")
    err("unsupported_brotli.parquet", "pyarrow BROTLI", ["unsupported", "BROTLI", "codec"])
    pq.write_table(table, p("unsupported_int96.parquet"), use_deprecated_int96_timestamps=True)
    err("unsupported_int96.parquet", "pyarrow INT96 timestamps", ["unsupported", "INT96", "'time'"])
    lists = pa.array([[float(i), float(i) + 0.5] for i in range(ROWS)], type=pa.list_(pa.float64()))
    pq.write_table(arrow_table(d, extra={"tags": lists}), p("unsupported_nested.parquet"))
    err("unsupported_nested.parquet", "pyarrow list<double> column", ["unsupported", "nested", "'tags'"])
    close_null = table.set_column(4, "close", pa.array(d["close"], mask=(np.arange(ROWS) == 122)))
    pq.write_table(close_null, p("null_close.parquet"))
    err("null_close.parquet", "pyarrow null in close", ["'close'", "null in row 123"])

    # Small files for the fuzz test.
    small = table.slice(0, 300)
    pq.write_table(small, p("fuzz_v1.parquet"), row_group_size=100)
    pq.write_table(small, p("fuzz_v2.parquet"), row_group_size=150, data_page_version="2.0", compression="zstd",
                   dictionary_pagesize_limit=256, data_page_size=512)

    with open(p("manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(manifest)} fixtures in {out}")
    generate_tables(out)


def table_columns(rows=3_000):
    """A trade-like table exercising every column type of ParquetTable and its edge values."""
    rng = np.random.default_rng(20240607)
    ids = np.arange(rows, dtype=np.int64) * 7_919 - 10**12
    ids[0], ids[1] = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    times = START_MS + np.arange(rows, dtype=np.int64) * 1_000
    times[2] = -1  # 1969-12-31T23:59:59.999Z
    price = rng.normal(100.0, 5.0, rows)
    price[::50] = np.nan
    price[1:7] = [np.inf, -np.inf, -0.0, 0.0, 5e-324, -1.7976931348623157e308]
    sides = np.array(["buy", "sell", "short", "cover"])[rng.integers(0, 4, rows)]
    notes = [f"trade {i}" for i in range(rows)]
    notes[0], notes[1], notes[2] = "", "Zürich → 東京 😀", "x" * 300
    flags = (np.arange(rows) % 3 == 0) | (np.arange(rows) > rows - 10)
    return {"id": ids, "time": times, "price": price, "side": list(sides), "note": notes, "flag": flags}


def table_arrow(c, price_mask=None):
    return pa.table({
        "id": pa.array(c["id"], type=pa.int64()),
        "time": pa.array(c["time"], type=pa.int64()).cast(pa.timestamp("ms", tz="UTC")),
        "price": pa.array(c["price"], mask=price_mask),
        "side": pa.array(c["side"], type=pa.string()),
        "note": pa.array(c["note"], type=pa.string()),
        "flag": pa.array(c["flag"], type=pa.bool_()),
    })


def table_expected(c, price_mask=None):
    """Columns as tables.json holds them: doubles as their IEEE bit pattern (decimal), integers as text."""
    price = np.where(price_mask, np.nan, c["price"]) if price_mask is not None else c["price"]
    bits = lambda a: [str(int(b)) for b in np.asarray(a, dtype=np.float64).view(np.uint64)]
    return [
        {"name": "id", "type": "int64", "values": [str(int(v)) for v in c["id"]]},
        {"name": "time", "type": "timestampMillis", "values": [str(int(v)) for v in c["time"]]},
        {"name": "price", "type": "double", "values": bits(price)},
        {"name": "side", "type": "string", "values": list(c["side"])},
        {"name": "note", "type": "string", "values": list(c["note"])},
        {"name": "flag", "type": "bool", "values": [bool(v) for v in c["flag"]]},
    ]


def generate_tables(out):
    c = table_columns()
    table = table_arrow(c)
    p = lambda name: os.path.join(out, name)
    files = []

    def ok(name, writer, expected="base"):
        files.append({"file": name, "writer": writer, "expect": "ok", "expected": expected})

    def err(name, writer, contains):
        files.append({"file": name, "writer": writer, "expect": "error", "contains": contains})

    pq.write_table(table, p("tables_pyarrow_default.parquet"))
    ok("tables_pyarrow_default.parquet", "pyarrow default (SNAPPY, v1 pages, dictionary)")
    pq.write_table(table, p("tables_pyarrow_v2_zstd.parquet"), data_page_version="2.0", compression="zstd",
                   row_group_size=1_000, data_page_size=2_048, dictionary_pagesize_limit=1_024)
    ok("tables_pyarrow_v2_zstd.parquet", "pyarrow v2 pages, ZSTD, row groups of 1000, small pages, dictionary fallback")
    pq.write_table(table, p("tables_pyarrow_plain_gzip.parquet"), use_dictionary=False, compression="gzip", row_group_size=700)
    ok("tables_pyarrow_plain_gzip.parquet", "pyarrow PLAIN, GZIP, row groups of 700")
    pq.write_table(table, p("tables_pyarrow_v2_plain_none.parquet"), use_dictionary=False, compression="none",
                   data_page_version="2.0", data_page_size=4_096)
    ok("tables_pyarrow_v2_plain_none.parquet", "pyarrow PLAIN, uncompressed, v2 pages")
    pq.write_table(table, p("tables_pyarrow_dict_snappy_v2.parquet"), data_page_version="2.0", row_group_size=1_500)
    ok("tables_pyarrow_dict_snappy_v2.parquet", "pyarrow dictionary, SNAPPY, v2 pages, row groups of 1500")
    import polars as pl
    pl.from_arrow(table).write_parquet(p("tables_polars.parquet"))
    ok("tables_polars.parquet", "polars write_parquet defaults (ZSTD, large strings)")
    mask = np.arange(len(c["id"])) % 7 == 3
    pq.write_table(table_arrow(c, price_mask=mask), p("tables_null_double.parquet"))
    ok("tables_null_double.parquet", "pyarrow nulls in a double column", expected="nullPrice")

    rows = len(c["id"])
    null_at = lambda i: np.arange(rows) == i
    err_table = lambda name, column: table.append_column(name, column)
    pq.write_table(err_table("n", pa.array(np.arange(rows, dtype=np.int32))), p("tables_int32.parquet"))
    err("tables_int32.parquet", "pyarrow int32 column", ["unsupported", "INT32", "'n'"])
    pq.write_table(err_table("t_us", pa.array(c["time"] * 1000, type=pa.int64()).cast(pa.timestamp("us", tz="UTC"))),
                   p("tables_ts_us.parquet"))
    err("tables_ts_us.parquet", "pyarrow timestamp[us] column", ["unsupported", "TIMESTAMP(MICROS)", "'t_us'"])
    pq.write_table(err_table("blob", pa.array([b"\x00\x01"] * rows, type=pa.binary())), p("tables_binary.parquet"))
    err("tables_binary.parquet", "pyarrow binary column", ["unsupported", "binary", "'blob'"])
    pq.write_table(err_table("tags", pa.array([[1.0, 2.0]] * rows, type=pa.list_(pa.float64()))), p("tables_list.parquet"))
    err("tables_list.parquet", "pyarrow list<double> column", ["unsupported", "nested", "'tags'"])
    pq.write_table(table.set_column(4, "note", pa.array(c["note"], mask=null_at(1_234))), p("tables_null_string.parquet"))
    err("tables_null_string.parquet", "pyarrow null in a string column", ["'note'", "null in row 1235", "only DOUBLE"])
    pq.write_table(table.set_column(5, "flag", pa.array(c["flag"], mask=null_at(7))), p("tables_null_bool.parquet"))
    err("tables_null_bool.parquet", "pyarrow null in a bool column", ["'flag'", "null in row 8"])
    pq.write_table(table, p("tables_delta_strings.parquet"), use_dictionary=False,
                   column_encoding={"note": "DELTA_LENGTH_BYTE_ARRAY"})
    err("tables_delta_strings.parquet", "pyarrow DELTA_LENGTH_BYTE_ARRAY strings", ["unsupported", "DELTA_LENGTH_BYTE_ARRAY", "'note'"])

    # A small file for the fuzz test: dictionary strings, RLE booleans, v2 pages, row groups.
    pq.write_table(table.slice(0, 200), p("tables_fuzz.parquet"), row_group_size=100, data_page_version="2.0",
                   compression="zstd", data_page_size=512)

    expected = {"base": table_expected(c), "nullPrice": table_expected(c, price_mask=mask)}
    with open(p("tables.json"), "w") as f:
        json.dump({"expected": expected, "files": files}, f)
    print(f"{len(files)} table fixtures in {out}")


def same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return a == b


def check(path, expected_csv):
    with open(expected_csv) as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    want = {name: [] for name in header}
    for r in body:
        for name, text in zip(header, r):
            want[name].append(int(text) if name == header[0] else (float(text) if text != "" else float("nan")))
    time_name = header[0]

    def compare(reader, got_time, got):
        if list(got_time) != want[time_name]:
            k = next(i for i, (a, b) in enumerate(zip(got_time, want[time_name])) if a != b) if len(got_time) == len(want[time_name]) else -1
            raise SystemExit(f"{reader}: time differs (row {k}; {len(got_time)} vs {len(want[time_name])} rows)")
        for name in header[1:]:
            values = got[name]
            for i, (a, b) in enumerate(zip(values, want[name])):
                if not same(a, b) or (a is not None and b is not None and not math.isnan(b) and math.copysign(1, a) != math.copysign(1, b)):
                    raise SystemExit(f"{reader}: column {name} row {i}: {a!r} != {b!r}")
            if len(values) != len(want[name]):
                raise SystemExit(f"{reader}: column {name} has {len(values)} values, expected {len(want[name])}")
        print(f"ok {reader}")

    meta = pq.ParquetFile(path).metadata
    if not meta.created_by.startswith("tradelab version"):
        raise SystemExit(f"created_by is {meta.created_by!r}")
    offset = 0
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        for c in range(rg.num_columns):
            col = rg.column(c)
            name = col.path_in_schema
            values = want[name][offset:offset + rg.num_rows]
            finite = [v for v in values if not math.isnan(v)]
            st = col.statistics
            if st is None or st.null_count != 0:
                raise SystemExit(f"row group {g} column {name}: statistics {st}")
            if finite and name != time_name:
                if not (st.has_min_max and st.min == min(finite) and st.max == max(finite)):
                    raise SystemExit(f"row group {g} column {name}: min/max {st.min}/{st.max}, expected {min(finite)}/{max(finite)}")
            elif name != time_name and st.has_min_max:
                raise SystemExit(f"row group {g} column {name}: min/max written for an all-NaN chunk")
        offset += rg.num_rows
    print(f"ok statistics ({meta.num_row_groups} row groups)")

    t = pq.read_table(path)
    ttype = t.schema.field(time_name).type
    if not (pa.types.is_timestamp(ttype) and ttype.unit == "ms" and ttype.tz in ("UTC", "+00:00")):
        raise SystemExit(f"pyarrow: time column type is {ttype}, expected timestamp[ms, tz=UTC]")
    compare("pyarrow", t.column(time_name).cast(pa.int64()).to_pylist(),
            {n: t.column(n).to_pylist() for n in header[1:]})

    import polars as pl
    df = pl.read_parquet(path)
    dtype = df.schema[time_name]
    if not (isinstance(dtype, pl.Datetime) and dtype.time_unit == "ms" and dtype.time_zone == "UTC"):
        raise SystemExit(f"polars: time column type is {dtype}, expected Datetime(ms, UTC)")
    compare("polars", df[time_name].cast(pl.Int64).to_list(), {n: df[n].to_list() for n in header[1:]})

    import duckdb
    con = duckdb.connect()
    ddl = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    kinds = {r[0]: r[1] for r in ddl}
    if kinds[time_name] != "TIMESTAMP WITH TIME ZONE":
        raise SystemExit(f"duckdb: time column type is {kinds[time_name]}, expected TIMESTAMP WITH TIME ZONE")
    cols = ", ".join(f'"{n}"' for n in header[1:])
    res = con.execute(f'SELECT epoch_ms("{time_name}"), {cols} FROM read_parquet(\'{path}\')').fetchall()
    compare("duckdb", [r[0] for r in res], {n: [r[k + 1] for r in res] for k, n in enumerate(header[1:])})


def bench(out, rows):
    """1M-row OHLCV files (pyarrow defaults, SNAPPY and ZSTD) and pyarrow's best read time."""
    import time
    os.makedirs(out, exist_ok=True)
    d = base_table(rows)
    table = arrow_table(d).drop_columns(["signal", "symbol"])
    result = {}
    for codec in ("snappy", "zstd"):
        path = os.path.join(out, f"bench_{codec}.parquet")
        pq.write_table(table, path, compression=codec)
        best = float("inf")
        for _ in range(7):
            t0 = time.perf_counter()
            pq.read_table(path)
            best = min(best, time.perf_counter() - t0)
        result[codec] = {"file": path, "pyarrow_seconds": best, "bytes": os.path.getsize(path)}
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--bench":
        bench(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "--check":
        check(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 2:
        generate(sys.argv[1])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
