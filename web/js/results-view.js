// A finished run's report: stats cards, equity / drawdown / price charts (Lightweight Charts),
// canvas charts (returns histogram, monthly heatmap, hold time vs P&L, hour of day), the run
// summary table, the trade log and the artifacts.

import { api, download } from './api.js';
import { h, showError } from './dom.js';
import { pct, int, dateTime, signClass, toDate, shortId } from './format.js';
import { loadCharts } from './vendor.js';
import { statCards } from './stats.js';
import { TradeTable } from './trade-table.js';
import { drawEquityChart, drawDrawdownChart, baselineLabel } from './charts/equity-charts.js';
import { drawReturnsHistogram, drawMonthlyHeatmap, drawHoldScatter, drawHourBars } from './charts/canvas-charts.js';
import { PriceChart } from './charts/price-chart.js';

export const RESULT_POINTS = 2000;

const closed = (trades) => (trades || []).filter((t) => t.exitTime && t.exitReason !== 'open');

/** Monthly returns from an equity curve {time (s), equity}, against the initial capital. */
export function monthlyFromEquity(eq, initial) {
  const out = [];
  if (!eq || !eq.time) return out;
  let prev = initial || (eq.equity.length ? eq.equity[0] : 1);
  let cur = null;
  for (let i = 0; i < eq.time.length; i++) {
    const d = new Date(eq.time[i] * 1000);
    const key = d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (cur && cur.key !== key) { out.push({ year: cur.year, month: cur.month, return: prev > 0 ? cur.end / prev - 1 : null }); prev = cur.end; cur = null; }
    if (!cur) cur = { key, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, end: eq.equity[i] };
    cur.end = eq.equity[i];
  }
  if (cur) out.push({ year: cur.year, month: cur.month, return: prev > 0 ? cur.end / prev - 1 : null });
  return out;
}

/** The report's title: run name, strategy, data (symbol, timeframe, range), runs and status. */
export function resultsHeader(results, session = {}, ...extra) {
  const data = results.data || {};
  const runs = results.runs || [];
  const name = session.name || (results.id ? `run ${shortId(results.id)}` : '');
  return h('div.results-head', null,
    h('h2', { dataset: { testid: 'results-title' } }, [name, results.strategy].filter(Boolean).join(' · ')),
    h('span.muted', { dataset: { testid: 'results-data' } }, [data.symbol || data.source || '', data.timeframe || '', data.from ? `${dateTime(data.from)} → ${dateTime(data.to)}` : '',
      results.randomized ? `${runs.length} randomized runs` : '', `status: ${results.status}`].filter(Boolean).join(' · ')),
    h('span.spacer'), ...extra);
}

function panel(title, testid, body, hint) {
  return h('section.panel', { dataset: { testid: `panel-${testid}` } }, h('header', null, h('h3', null, title), hint ? h('span.hint', null, hint) : null), body);
}

export class ResultsView {
  constructor(container) {
    this.container = container;
    this.disposers = [];
  }

  dispose() {
    for (const d of this.disposers) { try { d(); } catch { /* already gone */ } }
    this.disposers = [];
  }

  /** Renders results; opts: {t0 (performance.now() when loading started), session, candles (a started request)}. */
  async render(results, opts = {}) {
    this.dispose();
    this.trades = null;
    const t0 = opts.t0 ?? performance.now();
    const LWC = await loadCharts();
    const runs = results.runs || [];
    const randomized = !!results.randomized;
    const data = results.data || {};
    const session = opts.session || {};
    const errBox = h('div.error-box', { hidden: true });
    const timing = h('span.hint', { dataset: { testid: 'render-time' } });
    const head = resultsHeader(results, session, timing);
    const artifacts = h('div.artifacts', { dataset: { testid: 'artifacts' } }, 'Download: ',
      (results.artifacts || []).map((f) => h('button.link', { type: 'button', dataset: { testid: `artifact-${f}` }, onclick: () => download(results.id, f).catch((e) => showError(errBox, e, 'Download')) }, f)));
    const host = (id, cls = '') => h(`div.chart-host${cls}`, { dataset: { testid: `chart-${id}` } });
    const eqHost = host('equity'); const ddHost = host('drawdown');
    const priceBox = h('div');
    const canvas = (id) => h('canvas.canvas-chart', { dataset: { testid: `chart-${id}` } });
    const cHist = canvas('returns-hist'); const cMonthly = canvas('monthly'); const cScatter = canvas('scatter'); const cHours = canvas('hours');

    const children = [head, errBox, statCards(results)];
    children.push(h('div.chart-grid', null,
      panel(randomized ? 'Equity: all runs, average highlighted' : 'Equity', 'equity', eqHost, results.baseline ? `dashed: ${baselineLabel(results)}` : 'no baseline'),
      panel(randomized ? 'Drawdown of the average run' : 'Drawdown (underwater)', 'drawdown', ddHost)));
    children.push(panel('Price, indicators, volume and trades', 'price', priceBox, randomized ? 'markers: one run at a time' : ''));
    children.push(h('div.chart-grid.four', null,
      panel('Trade returns', 'returns-hist', cHist), panel(randomized ? 'Monthly returns (run 1)' : 'Monthly returns', 'monthly', cMonthly),
      panel('Hold time vs P&L', 'scatter', cScatter), panel('Wins / losses by hour', 'hours', cHours)));
    if (runs.length) children.push(panel('Runs', 'runs', this.runsTable(runs, (results.baseline && results.baseline.runs) || [], results.baseline)));
    const tradesBox = h('div');
    children.push(panel('Trade log', 'trades', tradesBox));
    children.push(artifacts);
    this.tradesBox = tradesBox;
    this.container.replaceChildren(...children);

    let average = null;
    try {
      const eq = drawEquityChart(LWC, eqHost, results);
      average = eq.average;
      this.disposers.push(() => eq.chart.remove());
      const dd = drawDrawdownChart(LWC, ddHost, results, average);
      this.disposers.push(() => dd.remove());
      window.tradelabCharts = { equity: eq.chart, drawdown: dd };   // for the browser tests
    } catch (e) { showError(errBox, e, 'Drawing the equity charts'); }

    // First paint: the cards and the equity charts. The rest is drawn on the next frames.
    await new Promise((r) => requestAnimationFrame(() => r()));
    const firstPaint = performance.now() - t0;
    window.tradelabPerf = Object.assign(window.tradelabPerf || {}, { firstPaintMs: Math.round(firstPaint), firstPaintSinceNavigationMs: Math.round(performance.now()), runId: results.id });
    timing.textContent = `rendered in ${Math.round(firstPaint)} ms`;
    await new Promise((r) => setTimeout(r, 0));

    // The charts of trades want every trade: fetched when the results carry only the first ones.
    let all = results.trades || [];
    const total = results.tradesTotal ?? all.length;
    if (total > all.length && total <= 50000) {
      try { all = (await api.trades(results.id, 0, total)).trades; } catch (e) { showError(errBox, e, 'Loading the trades'); }
    }
    const trades = closed(all);
    this.disposers.push(drawReturnsHistogram(cHist, trades.map((t) => (t.pnlPercent || 0) * 100)));
    const m = results.metrics || {};
    const monthly = Array.isArray(m.monthlyReturns) && m.monthlyReturns.length && !randomized
      ? m.monthlyReturns : monthlyFromEquity(results.equity, (results.account || {}).initialCash);
    this.disposers.push(drawMonthlyHeatmap(cMonthly, monthly));
    this.disposers.push(drawHoldScatter(cScatter, trades.map((t) => ({ x: (toDate(t.exitTime) - toDate(t.entryTime)) / 3600000, y: t.pnl || 0 }))));
    const wins = new Array(24).fill(0); const losses = new Array(24).fill(0);
    for (const t of trades) { const hr = toDate(t.entryTime).getUTCHours(); if (t.pnl > 0) wins[hr]++; else if (t.pnl < 0) losses[hr]++; }
    this.disposers.push(drawHourBars(cHours, wins, losses));
    if (all.length < total) this.tradesBox.before(h('p.hint', null, `Charts of trades show the first ${all.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} trades.`));
    new TradeTable(this.tradesBox, { trades: all, total, fetch: (offset, limit) => api.trades(results.id, offset, limit),
      onSelect: (t) => this.price && this.price.zoomTo(t) });
    this.trades = all;

    const price = new PriceChart(priceBox, {
      LWC, runId: results.id, timeframe: data.timeframe || session.timeframe,
      trades: this.trades || results.trades || [], runs: runs.length, indicators: results.indicators || [],
    });
    try {
      await price.load(opts.candles);
      this.price = price;
      this.disposers.push(() => { this.price = null; price.remove(); });
      window.tradelabCharts = Object.assign(window.tradelabCharts || {}, { price: price.chart });
      window.tradelabPrice = price;   // the browser tests read its panes and markers
      await new Promise((r) => requestAnimationFrame(() => r()));
      const all = performance.now() - t0;
      window.tradelabPerf.priceChartMs = Math.round(all);
      window.tradelabPerf.priceChartSinceNavigationMs = Math.round(performance.now());
      window.tradelabPerf.candles = price.bars.time.length;
      timing.textContent = `rendered in ${Math.round(firstPaint)} ms (price chart ${Math.round(all)} ms, ${price.bars.time.length.toLocaleString('en-US')} candles)`;
    } catch (e) {
      priceBox.append(h('div.error-box', null, `Price chart: ${e.message}`));
    }
  }

  /** One row per window; `holds`: the baseline (buy-and-hold or a tuned model) on the same windows. */
  runsTable(runs, holds = [], baseline = null) {
    const hold = new Map(holds.map((r) => [r.run, r]));
    const rows = runs.map((r) => {
      const m = r.metrics || {};
      const b = hold.get(r.run);
      return h('tr', { dataset: { testid: 'run-summary-row' } },
        h('td', null, r.run), h('td', null, dateTime(r.from)), h('td', null, dateTime(r.to)), h('td', null, int(r.bars)),
        h('td', { class: signClass(m.totalReturn) }, pct(m.totalReturn)), h('td', { class: signClass(m.maxDrawdown) }, pct(m.maxDrawdown)),
        h('td', null, int((m.tradeCount || 0) + (m.openTradeCount || 0))),
        ...(holds.length ? [h('td', { class: b ? signClass(b.metrics.totalReturn) : '', dataset: { testid: 'run-hold-return', value: b ? String(b.metrics.totalReturn) : '' } },
          b ? pct(b.metrics.totalReturn) : '')] : []));
    });
    const named = baseline && baseline.optimizationId ? `Tuned ${baseline.name} (after fees)` : 'Buy & hold (after fees)';
    const heads = ['Run', 'From', 'To', 'Bars', 'Return', 'Max DD', 'Trades', ...(holds.length ? [named] : [])];
    return h('div.table-wrap.short', null, h('table.data', { dataset: { testid: 'runs-summary' } },
      h('thead', null, h('tr', null, heads.map((t) => h('th', null, t)))), h('tbody', null, rows)));
  }
}

