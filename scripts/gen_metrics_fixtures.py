#!/usr/bin/env python3
"""Reference fixtures for Tradelab's performance metrics.

Computes every metric of docs/metrics.md independently of the Swift code, with numpy and pandas
(vectorised drawdowns via cummax and runs of underwater bars, pandas' UTC calendar for the monthly
table, numpy's two-pass std), for a set of synthetic equity curves and trade lists, and writes one
JSON fixture per case to Tests/TradelabCoreTests/Fixtures/metrics/.

Each fixture holds the inputs of a BacktestResult ("input") and the expected metrics ("expected"),
keyed by the JSON keys of PerformanceMetrics' Codable form: null for an undefined metric,
"Infinity" for an infinite one. Everything is seeded: running the script twice writes the same files.

Usage (from the repository root):
    python3 -m venv /tmp/venv-met && /tmp/venv-met/bin/pip install numpy pandas
    /tmp/venv-met/bin/python scripts/gen_metrics_fixtures.py
"""
import json
import math
import os

import numpy as np
import pandas as pd

MS_PER_DAY = 86_400_000
MS_PER_YEAR = 365.25 * MS_PER_DAY
ZERO_RETURN_STD = 1e-12  # per-bar return std at or below this counts as zero
ZERO_PNL_STD = 1e-12     # pnl std at or below this x max |pnl| counts as zero

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TradelabCoreTests", "Fixtures", "metrics")


def ms(text):
    """UTC epoch milliseconds of an ISO time."""
    return int(pd.Timestamp(text, tz="UTC").value // 1_000_000)


# ----------------------------------------------------------------------------- reference metrics

def reference_metrics(inp):
    ts = np.array(inp["timestamps"], dtype=np.int64)
    eq = np.array(inp["equity"], dtype=float)
    pos = np.array(inp["position"], dtype=float)
    initial = float(inp["initialCash"])
    rf = float(inp["riskFreeRate"])
    n = len(eq)
    out = {}

    out["barCount"] = n
    out["start"] = int(ts[0]) if n else None
    out["end"] = int(ts[-1]) if n else None
    duration = int(ts[-1] - ts[0]) if n > 1 else 0
    out["durationMilliseconds"] = duration
    ppy = inp["periodsPerYear"]
    if ppy is None and n >= 2 and duration > 0:
        ppy = (n - 1) / (duration / MS_PER_YEAR)
    out["periodsPerYear"] = ppy
    out["riskFreeRate"] = rf
    out["initialEquity"] = initial
    final = float(eq[-1]) if n else initial
    out["finalEquity"] = final
    out["peakEquity"] = float(eq.max()) if n else initial
    out["totalReturn"] = final / initial - 1

    closes = inp["closes"]
    k = inp["firstTradableIndex"]
    out["buyAndHoldReturn"] = closes[-1] / closes[k] - 1 if 0 <= k < len(closes) and closes[k] > 0 else None

    out["cagr"] = None
    if duration > 0:
        years = duration / MS_PER_YEAR
        out["cagr"] = (final / initial) ** (1 / years) - 1 if final > 0 else -1.0

    # Per-bar returns: only from a positive previous equity.
    s = pd.Series(eq)
    prev = s.shift(1)
    r = (s / prev - 1)[prev > 0].to_numpy()
    out["annualizedReturn"] = out["annualizedVolatility"] = None
    out["sharpeRatio"] = out["sortinoRatio"] = None
    if ppy is not None and len(r) >= 1:
        rfb = rf / ppy
        out["annualizedReturn"] = float(np.mean(r)) * ppy
        downside = math.sqrt(float(np.mean(np.minimum(r - rfb, 0.0) ** 2)))
        if downside > ZERO_RETURN_STD:
            out["sortinoRatio"] = (float(np.mean(r)) - rfb) / downside * math.sqrt(ppy)
        if len(r) >= 2:
            std = float(np.std(r, ddof=1))
            out["annualizedVolatility"] = std * math.sqrt(ppy)
            if std > ZERO_RETURN_STD:
                out["sharpeRatio"] = (float(np.mean(r)) - rfb) / std * math.sqrt(ppy)

    # Drawdown from the running peak.
    if n:
        peak = np.maximum.accumulate(eq)
        dd = np.where(peak > 0, eq / np.where(peak > 0, peak, 1) - 1, 0.0)
        out["maxDrawdown"] = float(min(dd.min(), 0.0))
        # Runs of underwater bars; each run [a, b] starts from the peak at a-1 and ends at the
        # recovery bar b+1, or at the last bar if it never recovered.
        under = eq < peak
        best_ms, best_bars = 0, 0
        i = 0
        while i < n:
            if under[i]:
                a = i
                while i < n and under[i]:
                    i += 1
                peak_i = a - 1
                end_i = i if i < n else n - 1
                d_ms, d_bars = int(ts[end_i] - ts[peak_i]), end_i - peak_i
                if (d_ms, d_bars) > (best_ms, best_bars):
                    best_ms, best_bars = d_ms, d_bars
            else:
                i += 1
        out["maxDrawdownDurationMilliseconds"] = best_ms
        out["maxDrawdownDurationBars"] = best_bars
        out["exposure"] = float(np.mean(pos != 0))
    else:
        out["maxDrawdown"] = 0.0
        out["maxDrawdownDurationMilliseconds"] = 0
        out["maxDrawdownDurationBars"] = 0
        out["exposure"] = 0.0
    out["calmarRatio"] = out["cagr"] / -out["maxDrawdown"] if out["cagr"] is not None and out["maxDrawdown"] < 0 else None

    # Monthly returns from pandas' calendar.
    months = []
    if n:
        idx = pd.to_datetime(ts, unit="ms", utc=True)
        ends = pd.Series(eq, index=idx).groupby([idx.year, idx.month]).last()
        previous = initial
        for (year, month), end_equity in ends.items():
            months.append({"year": int(year), "month": int(month),
                           "return": end_equity / previous - 1 if previous > 0 else None,
                           "endEquity": float(end_equity)})
            previous = end_equity
    out["monthlyReturns"] = months

    # Trades.
    trades = inp["trades"]
    closed = [t for t in trades if t["exitReason"] != "open"]
    out["commissions"] = float(np.sum([t["fees"] for t in trades])) if trades else 0.0
    out["openTradeCount"] = len(trades) - len(closed)
    pnl = np.array([t["pnl"] for t in closed], dtype=float)
    ret = np.array([t["pnlPercent"] for t in closed], dtype=float)
    wins, losses = pnl > 0, pnl < 0
    nt = len(closed)
    out["tradeCount"] = nt
    out["winningTradeCount"] = int(wins.sum())
    out["losingTradeCount"] = int(losses.sum())
    out["grossProfit"] = float(pnl[wins].sum()) if wins.any() else 0.0
    out["grossLoss"] = float(pnl[losses].sum()) if losses.any() else 0.0
    if losses.any():
        out["profitFactor"] = out["grossProfit"] / -out["grossLoss"]
    elif wins.any():
        out["profitFactor"] = math.inf
    else:
        out["profitFactor"] = None
    out["winRate"] = float(wins.mean()) if nt else None
    out["expectancy"] = float(pnl.mean()) if nt else None
    out["expectancyReturn"] = float(ret.mean()) if nt else None
    out["averageWin"] = float(pnl[wins].mean()) if wins.any() else None
    out["averageLoss"] = float(pnl[losses].mean()) if losses.any() else None
    out["averageWinReturn"] = float(ret[wins].mean()) if wins.any() else None
    out["averageLossReturn"] = float(ret[losses].mean()) if losses.any() else None
    out["largestWin"] = float(pnl[wins].max()) if wins.any() else None
    out["largestLoss"] = float(pnl[losses].min()) if losses.any() else None
    out["bestTradeReturn"] = float(ret.max()) if nt else None
    out["worstTradeReturn"] = float(ret.min()) if nt else None
    out["sqn"] = None
    if nt >= 2:
        std = float(np.std(pnl, ddof=1))
        if std > 0 and std > ZERO_PNL_STD * float(np.abs(pnl).max()):
            out["sqn"] = math.sqrt(nt) * float(pnl.mean()) / std
    if nt:
        hold_ms = [t["exitTime"] - t["entryTime"] for t in closed]
        bars = [t["barsHeld"] for t in closed]
        out["averageHoldBars"] = float(np.mean(bars))
        out["averageHoldMilliseconds"] = float(np.mean(np.array(hold_ms, dtype=float)))
        longest = max(range(nt), key=lambda j: (hold_ms[j], bars[j]))  # first of the maximal
        out["longestHoldMilliseconds"] = int(hold_ms[longest])
        out["longestHoldBars"] = int(bars[longest])
    else:
        out["averageHoldBars"] = out["averageHoldMilliseconds"] = None
        out["longestHoldMilliseconds"] = out["longestHoldBars"] = None
    return out


# ----------------------------------------------------------------------------- synthetic inputs

def trade(side, q, i0, t0, p0, i1, t1, p1, fee_rate, reason):
    sign = 1.0 if side == "long" else -1.0
    entry_fee = q * p0 * fee_rate
    exit_fee = 0.0 if reason == "open" else q * p1 * fee_rate
    fees = entry_fee + exit_fee
    return {"side": side, "quantity": q, "entryIndex": i0, "entryTime": int(t0), "entryPrice": p0,
            "exitIndex": i1, "exitTime": int(t1), "exitPrice": p1,
            "pnl": sign * q * (p1 - p0) - fees,
            "pnlPercent": sign * (p1 / p0 - 1) - fees / (q * p0),
            "fees": fees, "barsHeld": i1 - i0, "mfe": 0.0, "mae": 0.0, "exitReason": reason,
            "ambiguous": False}


def simulate(ts, closes, rng, cash=10_000.0, fee_rate=0.001, p_enter=0.05, p_exit=0.08,
             allow_short=True, first=0, hold_from=None):
    """All-in entries and exits at the close; equity marked at the close. From bar `hold_from` on
    a position is entered if flat and never exited, so the last trade is left open."""
    n = len(closes)
    equity, cash_col, position = [], [], []
    pos, entry = 0.0, None
    trades = []
    for i in range(n):
        c = closes[i]
        holding = hold_from is not None and i >= hold_from
        if i >= first:
            if pos != 0 and not holding and rng.random() < p_exit:
                side = "long" if pos > 0 else "short"
                q = abs(pos)
                t = trade(side, q, entry[0], ts[entry[0]], entry[1], i, ts[i], c, fee_rate, "signal")
                cash += pos * c - q * c * fee_rate
                trades.append(t)
                pos, entry = 0.0, None
            elif pos == 0 and (holding or rng.random() < p_enter):
                side = 1.0 if (not allow_short or rng.random() < 0.6) else -1.0
                q = cash / (c * (1 + fee_rate))
                cash -= side * q * c + q * c * fee_rate
                pos, entry = side * q, (i, c)
        equity.append(cash + pos * c)
        cash_col.append(cash)
        position.append(pos)
    if pos != 0:
        side = "long" if pos > 0 else "short"
        trades.append(trade(side, abs(pos), entry[0], ts[entry[0]], entry[1], n - 1, ts[n - 1], closes[-1],
                            fee_rate, "open"))
    return equity, position, trades


def random_prices(rng, n, start=100.0, vol=0.02, drift=0.0003):
    return list(start * np.exp(np.cumsum(rng.normal(drift, vol, n))))


def case(name, description, ts, equity, position, closes, trades, cash=10_000.0, rf=0.0, ppy=None, first=0):
    inp = {"initialCash": cash, "riskFreeRate": rf, "periodsPerYear": ppy,
           "timestamps": [int(t) for t in ts], "equity": [float(e) for e in equity],
           "position": [float(p) for p in position], "closes": [float(c) for c in closes],
           "firstTradableIndex": first, "trades": trades}
    return {"name": name, "description": description, "input": inp, "expected": reference_metrics(inp)}


def synthetic_trades(rng, ts, count, open_count=0, fee=1.0):
    """Trades unrelated to the curve, for trade statistics (wins, losses, a zero, varied holds)."""
    n = len(ts)
    out = []
    for j in range(count + open_count):
        i0 = int(rng.integers(0, n - 1))
        i1 = int(rng.integers(i0, n))
        p0 = float(rng.uniform(50, 150))
        p1 = p0 if j == 0 else float(p0 * (1 + rng.normal(0, 0.05)))
        t = trade("long" if rng.random() < 0.7 else "short", float(rng.integers(1, 20)), i0, ts[i0], p0, i1,
                  ts[i1], p1, 0.0, "open" if j >= count else "signal")
        t["fees"] = fee if j >= count else 2 * fee
        t["pnl"] = 0.0 if j == 0 else t["pnl"] - t["fees"]
        out.append(t)
    return out


def build_cases():
    cases = []

    # 1. Random walk, 24/7 daily bars (crypto), long and short trades, one left open.
    rng = np.random.default_rng(1)
    n = 900
    ts = [ms("2021-01-01") + i * MS_PER_DAY for i in range(n)]
    closes = random_prices(rng, n)
    eq, pos, trades = simulate(ts, closes, rng, first=20, hold_from=n - 30)
    cases.append(case("random_daily_crypto", "Random walk on 24/7 daily bars; long/short all-in trades at the "
                      "close with 0.1% fees; the last trade left open; warm-up of 20 bars.",
                      ts, eq, pos, closes, trades, first=20))

    # 2. Daily stock bars: weekdays only, three years, risk-free 2%.
    rng = np.random.default_rng(2)
    days = pd.bdate_range("2019-01-02", "2021-12-31", tz="UTC")
    ts = [int(d.value // 1_000_000) + 14 * 3_600_000 + 30 * 60_000 for d in days]  # 14:30 UTC opens
    closes = random_prices(rng, len(ts), vol=0.015)
    eq, pos, trades = simulate(ts, closes, rng, allow_short=False, p_enter=0.1, p_exit=0.05)
    cases.append(case("daily_stock_weekdays", "Weekday-only daily bars over three years (weekends missing, "
                      "~261 bars a year observed), long-only, risk-free rate 2%.",
                      ts, eq, pos, closes, trades, rf=0.02))

    # 3. One-minute 24/7 bars across a month boundary, trades entering on bar 0 (equity[0] < cash).
    rng = np.random.default_rng(3)
    n = 4 * 1440
    ts = [ms("2024-02-27T00:00") + i * 60_000 for i in range(n)]  # leap day included
    closes = random_prices(rng, n, vol=0.0008, drift=0.0)
    eq, pos, trades = simulate(ts, closes, rng, p_enter=1.0, p_exit=0.01)
    cases.append(case("minute_crypto_24_7", "One-minute 24/7 bars, 4 days across Feb 29 -> March; "
                      "first entry on bar 0 so the first month is measured from the initial cash.",
                      ts, eq, pos, closes, trades))

    # 4. Monotone up: strictly increasing equity, all trades winners (profit factor infinite).
    rng = np.random.default_rng(4)
    n = 500
    ts = [ms("2022-06-01") + i * 3_600_000 for i in range(n)]
    eq = list(10_000 * np.cumprod(1 + rng.uniform(0.0001, 0.003, n)))
    pos = [1.0] * n
    trades = [trade("long", 10.0, i, ts[i], 100.0, i + 40, ts[i + 40], 100.0 + 1 + i / 50, 0.0005, "signal")
              for i in range(0, 440, 50)]
    cases.append(case("monotone_up", "Strictly increasing hourly equity: no drawdown (Calmar and Sortino "
                      "undefined), only winning trades (profit factor infinite).",
                      ts, eq, pos, [e / 100 for e in eq], trades))

    # 5. Long drawdowns: a recovered one, then a deeper one never recovered (runs to the end).
    rng = np.random.default_rng(5)
    n = 1200
    ts = [ms("2020-01-01") + i * 4 * 3_600_000 for i in range(n)]
    shape = np.concatenate([np.linspace(0, 0.3, 200), np.linspace(0.3, 0.1, 250), np.linspace(0.1, 0.45, 150),
                            np.linspace(0.45, -0.2, 400), np.linspace(-0.2, 0.2, 200)])
    eq = list(10_000 * np.exp(shape + rng.normal(0, 0.004, n)))
    pos = [0.0 if i % 7 == 0 else -2.0 for i in range(n)]
    trades = synthetic_trades(rng, ts, 25, open_count=1)
    cases.append(case("long_drawdowns", "4-hour bars: a drawdown that recovers, then a deeper one that never "
                      "does (its duration runs to the last bar); short position column.",
                      ts, eq, pos, [e / 50 for e in eq], trades, first=3))

    # 6. Zero-volatility stretches: flat equity while out of the market; fixed 365 periods a year, rf 3%.
    rng = np.random.default_rng(6)
    n = 600
    ts = [ms("2023-03-15") + i * MS_PER_DAY for i in range(n)]
    eq, pos = [], []
    e = 10_000.0
    for i in range(n):
        in_market = (i // 60) % 2 == 1
        if in_market and i % 60 != 0:
            e *= 1 + rng.normal(0.001, 0.01)
        eq.append(e)
        pos.append(3.0 if in_market else 0.0)
    trades = synthetic_trades(rng, ts, 12)
    cases.append(case("flat_stretches", "Daily equity flat for 60-bar stretches out of the market; "
                      "periodsPerYear fixed at 365, risk-free rate 3%.",
                      ts, eq, pos, [100.0] * n, trades, rf=0.03, ppy=365.0))

    # 7. Constant equity, no trades: std 0 -> Sharpe and Sortino undefined.
    n = 50
    ts = [ms("2024-01-29") + i * MS_PER_DAY for i in range(n)]
    cases.append(case("constant_no_trades", "Constant equity and no trades: zero volatility, every trade "
                      "statistic undefined.", ts, [10_000.0] * n, [0.0] * n, [10.0 + i for i in range(n)], []))

    # 8. Exact geometric growth (1.5x a bar is exact in binary): std exactly 0 on a rising curve.
    n = 20
    ts = [ms("2024-05-30") + i * MS_PER_DAY for i in range(n)]
    eq = [1024.0 * 1.5 ** i for i in range(n)]
    cases.append(case("exact_geometric_growth", "Equity grows by exactly 50% a bar (exact in binary): "
                      "volatility 0, Sharpe and Sortino undefined.", ts, eq, [1.0] * n, [1.0] * n, [], cash=1024.0))

    # 9. One bar.
    cases.append(case("one_bar", "A single bar: no returns, no span, no annualization.",
                      [ms("2024-01-01")], [10_050.0], [1.0], [101.0], [], first=0))

    # 10. Empty curve.
    cases.append(case("empty_curve", "No bars at all.", [], [], [], [], []))

    # 11. Equity hits 0 and stays there: returns from a zero base are skipped.
    rng = np.random.default_rng(11)
    n = 120
    ts = [ms("2023-11-20") + i * MS_PER_DAY for i in range(n)]
    eq = list(10_000 * np.cumprod(1 + rng.normal(-0.01, 0.03, n)))
    for i in range(70, n):
        eq[i] = 0.0
    trades = synthetic_trades(rng, ts, 8)
    cases.append(case("equity_hits_zero", "Equity falls to 0 at bar 70 and stays: drawdown -100%, CAGR -1, "
                      "no returns after the ruin, later months undefined.",
                      ts, eq, [1.0] * 70 + [0.0] * 50, [50.0] * n, trades))
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    for c in build_cases():
        path = os.path.join(OUT, c["name"] + ".json")
        with open(path, "w") as f:
            # Non-finite numbers are written as strings, as PerformanceMetrics' Codable does.
            f.write(json.dumps(fix_nonfinite(c), separators=(",", ":"), allow_nan=False))
            f.write("\n")
        print(f"wrote {os.path.relpath(path)}")


def fix_nonfinite(value):
    """Non-finite floats as "Infinity" / "-Infinity" / "NaN"; numpy scalars as Python numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: fix_nonfinite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fix_nonfinite(v) for v in value]
    if isinstance(value, (np.floating,)):
        return fix_nonfinite(float(value))
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


if __name__ == "__main__":
    main()
