// Two runs side by side (#/runs/compare/A/B): a table of differences coloured by better or worse
// for each metric, both returns overlaid in one chart, and each run's cards. A randomized run is
// compared through the mean of its windows' metrics, so a single run and a randomized one have
// the same rows.

import { api } from './api.js';
import { h, showError } from './dom.js';
import { pct, num, int, money, duration } from './format.js';
import { loadCharts } from './vendor.js';
import { statCards } from './stats.js';
import { RESULT_POINTS, resultsHeader } from './results-view.js';
import { drawCompareChart } from './charts/equity-charts.js';

// [metric key of a run's metrics, label, format, better: 1 higher, -1 lower, 0 neither]
const ROWS = [
  ['totalReturn', 'Return', pct, 1], ['cagr', 'CAGR', pct, 1], ['maxDrawdown', 'Max drawdown', pct, 1],
  ['sharpeRatio', 'Sharpe', num, 1], ['sortinoRatio', 'Sortino', num, 1], ['calmarRatio', 'Calmar', num, 1],
  ['winRate', 'Win rate', pct, 1], ['profitFactor', 'Profit factor', num, 1], ['expectancy', 'Expectancy', money, 1],
  ['sqn', 'SQN', num, 1], ['tradeCount', 'Trades', int, 0], ['exposure', 'Exposure', pct, 0],
  ['averageHoldMilliseconds', 'Avg. hold', duration, 0], ['commissions', 'Commissions', money, -1],
];

/** A run's value of a metric: the run's own, or the mean over a randomized run's windows. */
export function comparable(results, key) {
  const values = (results.runs || []).map((r) => (r.metrics || {})[key]).filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (!values.length) {
    const v = (results.metrics || {})[key];
    return typeof v === 'number' ? v : null;
  }
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** 'better', 'worse' or '' for B against A. */
export function verdict(a, b, better) {
  if (!better || a === null || b === null || a === b) return '';
  return (b - a) * better > 0 ? 'better' : 'worse';
}

export class CompareView {
  constructor(root) {
    this.root = root;
    this.charts = [];
  }

  dispose() {
    for (const c of this.charts) { try { c.remove(); } catch { /* gone */ } }
    this.charts = [];
  }

  async show(a, b) {
    this.dispose();
    const errBox = h('div.error-box', { hidden: true });
    const diff = h('div', { dataset: { testid: 'compare-diff' } });
    const chartHost = h('div.chart-host', { dataset: { testid: 'chart-compare' } });
    const cols = h('div.compare-grid');
    this.root.replaceChildren(h('div.toolbar', null, h('a', { href: '#/runs' }, '‹ All runs'), h('h2', null, 'Compare runs')), errBox, diff,
      h('section.panel', { dataset: { testid: 'panel-compare-equity' } }, h('header', null, h('h3', null, 'Return of A and B'),
        h('span.hint', null, 'randomized runs: the average of their windows, on the time since each start')), chartHost), cols);
    let pair;
    try {
      pair = await Promise.all([a, b].map((id) => api.results(id, RESULT_POINTS)));
    } catch (e) { showError(errBox, e, 'Loading the runs'); return; }
    const sessions = await Promise.all([a, b].map((id) => api.session(id).catch(() => ({}))));
    const labels = pair.map((r, i) => `${'AB'[i]}: ${sessions[i].name || r.strategy}`);
    diff.replaceChildren(this.table(pair, labels));
    cols.replaceChildren(...pair.map((r, i) => h('div.compare-col', { dataset: { testid: 'compare-col' } }, resultsHeader(r, sessions[i]), statCards(r))));
    const LWC = await loadCharts();
    const chart = drawCompareChart(LWC, chartHost, pair, labels);
    this.charts.push(chart);
    window.tradelabCharts = { compare: chart };   // for the browser tests
  }

  table(pair, labels) {
    const note = (r) => ((r.runs || []).length > 1 ? ` (mean of ${r.runs.length} runs)` : '');
    const rows = [];
    for (const [key, label, fmt, better] of ROWS) {
      const [x, y] = pair.map((r) => comparable(r, key));
      if (x === null && y === null) continue;
      const d = x !== null && y !== null ? y - x : null;
      const v = verdict(x, y, better);
      rows.push(h('tr', { dataset: { testid: 'compare-row', key } }, h('td', null, label), h('td', null, fmt(x)), h('td', null, fmt(y)),
        h('td', { class: v === 'better' ? 'pos' : v === 'worse' ? 'neg' : '', dataset: { testid: 'compare-delta', verdict: v || 'same' } }, d === null ? 'n/a' : fmt(d))));
    }
    const hold = pair.map((r) => (r.baseline && !r.baseline.runId ? r.baseline.totalReturn : null));
    if (hold.some((v) => v !== null)) {
      rows.push(h('tr', { dataset: { testid: 'compare-row', key: 'baseline' } }, h('td', null, 'Buy & hold (after fees)'), h('td', null, pct(hold[0])), h('td', null, pct(hold[1])),
        h('td', { dataset: { testid: 'compare-delta', verdict: 'same' } }, hold[0] !== null && hold[1] !== null ? pct(hold[1] - hold[0]) : 'n/a')));
    }
    return h('table.data.compact', null, h('thead', null, h('tr', null, h('th', null, ''),
      h('th', null, labels[0] + note(pair[0])), h('th', null, labels[1] + note(pair[1])), h('th', null, 'B − A (green: B better)'))), h('tbody', null, rows));
  }
}
