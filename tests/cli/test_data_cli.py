"""`tradelab data` commands and catalog-based backtests."""
import json

from reference.test_backtesting_py import GOOG_CSV


def test_import_list_and_backtest_by_symbol(tradelab, tmp_path):
    data = tmp_path / "data"
    tradelab("data", "sample", "--out", data, "--days", 2, "--symbol", "ETHUSDT")
    tradelab("data", "import", GOOG_CSV, "--symbol", "goog", "--data-dir", data)
    again = tradelab("data", "import", GOOG_CSV, "--symbol", "goog", "--data-dir", data, check=False)
    assert again.returncode != 0 and "--force" in again.stderr
    listing = json.loads(tradelab("data", "list", "--data-dir", data, "--json").stdout)
    assert {(e["symbol"], e["timeframe"], e["rows"]) for e in listing} == {("ETHUSDT", "1m", 2880), ("GOOG", "1d", 2148)}
    by_symbol = tradelab.json("backtest", "--symbol", "GOOG", "--timeframe", "1d", "--data-dir", data, "--preset", "backtesting.py",
                              "--commission", 0.002)
    by_file = tradelab.json("backtest", "--data", GOOG_CSV, "--preset", "backtesting.py", "--commission", 0.002)
    assert by_symbol["metrics"]["finalEquity"] == by_file["metrics"]["finalEquity"]
    weekly = tradelab.json("backtest", "--symbol", "GOOG", "--timeframe", "1w", "--data-dir", data)
    assert weekly["data"]["timeframe"] == "1w" and weekly["data"]["bars"] < 500


def test_resample_and_convert_round_trip(tradelab, tmp_path):
    weekly = tmp_path / "goog_1w.csv"
    tradelab("data", "resample", GOOG_CSV, "--timeframe", "1w", "--out", weekly)
    info = tradelab("data", "info", weekly).stdout
    assert "1w" in info
    copy = tmp_path / "copy.csv"
    tradelab("data", "convert", weekly, copy)
    assert weekly.read_text() == copy.read_text()
    finer = tradelab("data", "resample", weekly, "--timeframe", "1d", "--out", tmp_path / "x.csv", check=False)
    assert finer.returncode != 0 and "finer" in finer.stderr


def test_parquet_convert_is_read_by_pyarrow_and_backtests_identically(tradelab, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq
    parquet = tmp_path / "goog.parquet"
    tradelab("data", "convert", GOOG_CSV, parquet)
    table = pq.read_table(parquet).to_pandas()
    source = pd.read_csv(GOOG_CSV, index_col=0, parse_dates=True)
    assert list(table["close"]) == list(source["Close"])
    assert list(pd.to_datetime(table["time"]).dt.tz_localize(None) if table["time"].dt.tz is not None else table["time"]) == list(source.index)
    args = ["--preset", "backtesting.py", "--commission", 0.002]
    from_parquet = tradelab.json("backtest", "--data", parquet, *args)
    from_csv = tradelab.json("backtest", "--data", GOOG_CSV, *args)
    assert from_parquet["metrics"] == from_csv["metrics"]
    data = tmp_path / "data"
    tradelab("data", "import", parquet, "--symbol", "GOOG", "--data-dir", data, "--format", "parquet")
    assert (data / "GOOG_1d.parquet").exists()
