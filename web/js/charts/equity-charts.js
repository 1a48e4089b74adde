// Equity (all runs overlaid, average highlighted, against the baseline) and drawdown (underwater)
// charts. A single run is drawn in calendar time; randomized runs, which cover different windows,
// are aligned on the time elapsed since each run's start.

import { COLORS, chartOptions, lineData, elapsedLabel, fitWhole } from './lwc.js';

function elapsedOptions() {
  return chartOptions({
    timeScale: { borderColor: COLORS.grid, tickMarkFormatter: (t) => elapsedLabel(t) },
    localization: { timeFormatter: (t) => elapsedLabel(t) },
  });
}

/** The average of several {time, equity} curves on the elapsed offsets of the longest one. */
export function averageCurve(curves) {
  const valid = curves.filter((c) => c && c.time && c.time.length);
  if (!valid.length) return { time: [], equity: [] };
  const ref = valid.reduce((a, b) => (b.time.length > a.time.length ? b : a));
  const t0 = ref.time[0];
  const offsets = ref.time.map((t) => t - t0);
  const ptr = valid.map(() => 0);
  const out = [];
  for (const off of offsets) {
    let s = 0; let n = 0;
    valid.forEach((c, k) => {
      const base = c.time[0];
      while (ptr[k] + 1 < c.time.length && c.time[ptr[k] + 1] - base <= off) ptr[k]++;
      if (c.time[c.time.length - 1] - base >= off || ptr[k] === c.time.length - 1) { s += c.equity[ptr[k]]; n++; }
    });
    out.push(n ? s / n : null);
  }
  return { time: offsets, equity: out };
}

export function drawdownOf(equity) {
  let peak = -Infinity;
  return equity.map((v) => {
    if (v === null || v === undefined) return null;
    peak = Math.max(peak, v);
    return peak > 0 ? v / peak - 1 : 0;
  });
}

/** What the dashed line is: buy-and-hold or an optimization's tuned model traded like the strategy
 * (fees, next-open fills), averaged over the windows of a randomized run; or the compared run. */
export function baselineLabel(results) {
  const b = results.baseline;
  if (!b) return '';
  if (b.runId) return `run ${b.name || b.runId}`;
  return `${b.optimizationId ? `the tuned model ${b.name}` : b.name || 'baseline'} after fees and next-open fills${b.runs && b.runs.length > 1 ? ', average of the windows' : ''}`;
}

/** Draws the equity chart into host; returns {chart, average}. */
export function drawEquityChart(LWC, host, results) {
  const runs = (results.runs || []).filter((r) => r.equity && r.equity.time && r.equity.time.length);
  const randomized = runs.length > 1;
  const chart = LWC.createChart(host, randomized ? elapsedOptions() : chartOptions());
  let average = null;
  if (randomized) {
    runs.forEach((r, i) => {
      const s = chart.addLineSeries({ color: COLORS.palette[i % COLORS.palette.length] + '66', lineWidth: 1, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false });
      s.setData(lineData(r.equity.time, r.equity.equity, 1, r.equity.time[0]));
    });
    average = averageCurve(runs.map((r) => r.equity));
    const avg = chart.addLineSeries({ color: COLORS.average, lineWidth: 3, title: 'average' });
    avg.setData(lineData(average.time, average.equity));
  } else {
    const eq = chart.addLineSeries({ color: COLORS.equity, lineWidth: 2, title: 'equity' });
    eq.setData(lineData(results.equity && results.equity.time, results.equity && results.equity.equity));
  }
  const b = results.baseline;
  const windows = randomized && b && b.runs ? b.runs.filter((r) => r.equity && r.equity.time && r.equity.time.length) : [];
  if (windows.length) {
    // The average of buy-and-hold over the same windows, as the strategy's average is drawn.
    const hold = averageCurve(windows.map((r) => r.equity));
    chart.addLineSeries({ color: COLORS.baseline, lineWidth: 2, lineStyle: 2, title: b.optimizationId ? 'tuned average' : 'B&H average' }).setData(lineData(hold.time, hold.equity));
  } else if (b && b.equity && b.equity.time && b.equity.time.length) {
    const s = chart.addLineSeries({ color: COLORS.baseline, lineWidth: 1, lineStyle: 2, title: b.name || 'baseline' });
    s.setData(lineData(b.equity.time, b.equity.equity, 1, randomized ? b.equity.time[0] : 0));
  }
  fitWhole(chart);
  return { chart, average };
}

/** Underwater chart in percent: the run's drawdown, or the average curve's for randomized runs. */
export function drawDrawdownChart(LWC, host, results, average) {
  const chart = LWC.createChart(host, average ? elapsedOptions() : chartOptions());
  const s = chart.addAreaSeries({ lineColor: COLORS.drawdown, topColor: 'rgba(239,83,80,0.05)', bottomColor: 'rgba(239,83,80,0.45)', lineWidth: 1, invertFilledArea: false, priceFormat: { type: 'custom', formatter: (v) => `${v.toFixed(2)}%` } });
  if (average) s.setData(lineData(average.time, drawdownOf(average.equity), 100));
  else {
    const e = results.equity || {};
    const dd = e.drawdown && e.drawdown.length ? e.drawdown : drawdownOf(e.equity || []);
    s.setData(lineData(e.time, dd, 100));
  }
  fitWhole(chart);
  return chart;
}

/** One run's return curve in percent for comparisons: its equity (the average of its windows when
 * randomized) against its start; on elapsed time when `elapsed`. */
export function returnCurve(results, elapsed) {
  const runs = (results.runs || []).filter((r) => r.equity && r.equity.time && r.equity.time.length);
  const curve = runs.length > 1 ? averageCurve(runs.map((r) => r.equity)) : (results.equity || { time: [], equity: [] });
  const start = (results.account || {}).initialCash || curve.equity.find((v) => v !== null) || 1;
  const offset = elapsed && runs.length <= 1 && curve.time.length ? curve.time[0] : 0;
  return lineData(curve.time, curve.equity.map((v) => (v === null ? null : v / start - 1)), 100, offset);
}

/** Both runs' returns in one chart (elapsed time when either is randomized); returns the chart. */
export function drawCompareChart(LWC, host, pair, labels) {
  const elapsed = pair.some((r) => (r.runs || []).length > 1);
  const options = elapsed ? elapsedOptions() : chartOptions();
  const chart = LWC.createChart(host, Object.assign(options, { localization: Object.assign({}, options.localization, { priceFormatter: (v) => `${v.toFixed(2)}%` }) }));
  const colors = [COLORS.equity, COLORS.average];
  pair.forEach((r, i) => {
    chart.addLineSeries({ color: colors[i], lineWidth: 2, title: labels[i] }).setData(returnCurve(r, elapsed));
  });
  fitWhole(chart);
  return chart;
}
