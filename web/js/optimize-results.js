// An optimization's report: the overfitting guards in plain words, the heatmap of the objective
// over two parameters, the sortable trials table, the walk-forward folds with the stitched
// out-of-sample equity, and the Monte Carlo fan and final-equity histogram.

import { h } from './dom.js';
import { num, pct, int, money, signClass, dateTime } from './format.js';
import { loadCharts } from './vendor.js';
import { COLORS, chartOptions, lineData, fitWhole } from './charts/lwc.js';
import { drawHeatmap, drawGenerations, drawWalkForward, drawFan, drawFinalEquityHistogram } from './charts/optimize-charts.js';
import { OBJECTIVES } from './optimize-form.js';

/** Rows of the trials table drawn at once. */
const TABLE_ROWS = 500;

export const objectiveLabel = (name) => (OBJECTIVES.find(([v]) => v === name) || [name, name])[1];

/** The guards as sentences: what the numbers say about the best trial being luck. */
export function guardSentences(results) {
  const g = results.guards;
  const out = [];
  const rejected = g.rejected ? ` (${g.rejected} rejected: failed or filtered out)` : '';
  let headline = `Best of ${int(g.trials)} trials${rejected}`;
  const d = g.deflatedSharpe;
  if (d) {
    const verdict = d.probability >= 0.95 ? 'unlikely to be luck' : d.probability >= 0.5 ? 'could well be luck' : 'likely luck';
    headline += `; deflated Sharpe ${num(d.probability)}: ${verdict}`;
    out.push(['deflated', `Deflated Sharpe ratio ${num(d.probability)}: the probability that the best trial's Sharpe (${num(d.best, 4)} a bar) beats what the best of ${int(d.trials)} trials without any skill would show (${num(d.expectedMaximum, 4)}).`]);
  }
  out.unshift(['headline', `${headline}.`]);
  out.push(['selection', 'The more trials, the more of the best result can be luck: check it out of sample (walk-forward) before trusting it.']);
  const o = g.overfitting;
  if (o) {
    const verdict = o.probability < 0.1 ? 'picking the best carried over' : o.probability < 0.5 ? 'picking the best only partly carried over' : 'picking the best was noise';
    out.push(['overfitting', `Probability of backtest overfitting ${num(o.probability)}: ${verdict}. In ${int(o.combinations)} splits of the bars into ${o.blocks} blocks, the in-sample best fell to the out-of-sample median or below that often.`]);
  }
  const s = g.stability;
  if (s && Number.isFinite(s.mean)) {
    out.push(['stability', `Stability: the best trial's ${s.neighbours} neighbours (one step away) average ${num(s.mean, 4)} against its ${num(s.best, 4)} (${s.fall >= 0 ? '−' : '+'}${num(Math.abs(s.fall) * 100, 0)}%); a sharp fall means a lucky peak.`]);
  }
  const w = results.walkForward;
  if (w && Number.isFinite(w.efficiency)) {
    const e = w.efficiency;
    const verdict = e >= 0.5 ? 'the in-sample edge mostly carried over' : e > 0 ? 'much of the in-sample edge did not carry over' : 'the in-sample edge did not carry over';
    out.push(['walk-forward', `Walk-forward efficiency ${num(e)}: ${verdict} (out-of-sample over in-sample annualized return).`]);
  }
  const mc = results.monteCarlo;
  if (mc) {
    out.push(['monte-carlo', `Monte Carlo (${int(mc.simulations)} paths over ${mc.trades} trades): the chance of ending below the initial capital is ${pct(mc.shuffle.probabilityOfLoss, 1)} with the trades reordered and ${pct(mc.bootstrap.probabilityOfLoss, 1)} resampled.`]);
  }
  if (results.cancelled) out.push(['cancelled', `Stopped: these are the ${int(results.trials.length)} trials done before the stop.`]);
  return out;
}

/** The heatmap's cells over parameters x and y: the best trial of each pair of values. */
export function heatmapCells(trials, xName, yName, best) {
  const byKey = new Map();
  for (const t of trials) {
    const x = t.params[xName]; const y = yName ? t.params[yName] : 'all';
    const key = `${x}|${y}`;
    const seen = byKey.get(key);
    const better = !seen || (Number.isFinite(t.objective) && !(Number.isFinite(seen.trial.objective) && seen.trial.objective >= t.objective));
    if (better) byKey.set(key, { x, y, trial: t });
  }
  const cells = [...byKey.values()];
  for (const c of cells) c.best = !!best && c.trial.trial === best.trial;
  const sorted = (k) => [...new Set(cells.map((c) => c[k]))].sort((a, b) => (typeof a === 'number' ? a - b : 0));
  return { xName, yName: yName || '', xs: sorted('x'), ys: sorted('y'), cells };
}

const COLUMNS = (names, objective) => [
  ['#', (t) => t.trial],
  ...names.map((n) => [n, (t) => t.params[n]]),
  [objectiveLabel(objective), (t) => t.objective],
  ['return', (t) => t.metrics && t.metrics.totalReturn, pct],
  ['max DD', (t) => t.metrics && t.metrics.maxDrawdown, pct],
  ['sharpe', (t) => t.metrics && t.metrics.sharpeRatio, (v) => num(v)],
  ['trades', (t) => t.closedTrades, int],
  ['final equity', (t) => t.finalEquity, money],
  ['note', (t) => t.rejected || ''],
];

export class OptimizeResults {
  /** onOpenTrial(trial) opens that trial's backtest report. */
  constructor(root, onOpenTrial) {
    this.root = root;
    this.onOpenTrial = onOpenTrial;
    this.cleanups = [];
  }

  clear() {
    for (const c of this.cleanups) c();
    this.cleanups = [];
    if (this.wfChart) { this.wfChart.remove(); this.wfChart = null; }
    this.root.replaceChildren();
  }

  render(results, optimization) {
    this.clear();
    this.results = results;
    const names = results.trials.length ? Object.keys(results.trials[0].params) : [];
    this.names = names;
    const best = results.best;
    const panel = (title, testid, ...body) => h('section.panel', { dataset: { testid } }, h('header', null, h('h3', null, title)), ...body);
    const guards = guardSentences(results);
    const bestLine = best
      ? h('p', { dataset: { testid: 'opt-best' } }, h('strong', null, 'Best: '), names.map((n) => `${n} ${best.params[n]}`).join(' · '),
        ` — ${objectiveLabel(results.objective)} ${num(best.objective, 4)} · return ${pct(best.metrics && best.metrics.totalReturn)} · ${int(best.closedTrades)} trades · `,
        h('button.link', { type: 'button', dataset: { testid: 'opt-open-best' }, onclick: () => this.onOpenTrial(best) }, 'open its report'))
      : h('p', { dataset: { testid: 'opt-best' } }, 'No trial counts: every one failed or missed the filter.');
    this.root.replaceChildren(...[
      h('div.toolbar', null, h('h2', null, optimization.name), h(`span.badge.${optimization.status}`, { dataset: { testid: 'opt-status' } }, optimization.status),
        h('span.hint', null, `${results.method} search of ${results.strategy} on ${results.data.source} ${results.data.timeframe || ''} · ${int(results.data.bars)} bars · ${dateTime(results.data.from)} → ${dateTime(results.data.to)} · ${num(results.timings.totalMs / 1000, 2)} s`)),
      h('section.panel.guards', { dataset: { testid: 'opt-guards' } }, h('header', null, h('h3', null, 'Is the best real?')),
        h('ul', null, guards.map(([key, text]) => h('li', { dataset: { guard: key } }, text))), bestLine),
      names.length ? this.heatmapPanel(names, best) : null,
      results.generations && results.generations.length ? panel('Generations', 'opt-generations-panel', this.canvas('opt-generations-chart', (c) => drawGenerations(c, results.generations, objectiveLabel(results.objective)))) : null,
      panel(`Trials (${int(results.trials.length)})`, 'opt-trials-panel', this.trialsTable(names, results)),
      results.walkForward ? this.walkForwardPanel(results.walkForward, names) : null,
      results.monteCarlo ? this.monteCarloPanel(results.monteCarlo, best, results) : null].filter(Boolean));
  }

  canvas(testid, draw, cls = 'opt-canvas') {
    const c = h(`canvas.${cls}`, { dataset: { testid } });
    requestAnimationFrame(() => { if (c.isConnected) this.cleanups.push(draw(c)); });
    return c;
  }

  heatmapPanel(names, best) {
    const pick = (testid, value) => h('select', { dataset: { testid }, onchange: () => paint() }, names.map((n) => h('option', { value: n, selected: n === value }, n)));
    const xSel = pick('opt-heatmap-x', names[0]);
    const ySel = names.length > 1 ? pick('opt-heatmap-y', names[1]) : null;
    const tip = h('div.opt-tip', { hidden: true, dataset: { testid: 'opt-heatmap-tip' } });
    const host = h('div.opt-heatmap-host');
    let cleanup = null;
    const paint = () => {
      if (cleanup) cleanup();
      const canvas = h('canvas.opt-canvas.tall', { dataset: { testid: 'opt-heatmap' } });
      host.replaceChildren(canvas, tip);
      const grid = heatmapCells(this.results.trials, xSel.value, ySel && ySel.value !== xSel.value ? ySel.value : null, best);
      cleanup = drawHeatmap(canvas, grid, {
        onHover: (cell, ev) => {
          tip.hidden = !cell;
          if (!cell) return;
          const t = cell.trial;
          tip.replaceChildren(h('strong', null, this.names.map((n) => `${n} ${t.params[n]}`).join(' · ')), h('br'),
            Number.isFinite(t.objective) ? `${objectiveLabel(this.results.objective)} ${num(t.objective, 4)}` : (t.rejected || 'does not count'),
            t.metrics ? ` · return ${pct(t.metrics.totalReturn)} · ${int(t.closedTrades)} trades · final ${money(t.finalEquity)}` : '',
            h('br'), h('span.hint', null, 'click for its report'));
          tip.dataset.trial = String(t.trial);
          const r = host.getBoundingClientRect();
          tip.style.left = `${Math.max(0, Math.min(r.width - 260, ev.clientX - r.left + 12))}px`;
          tip.style.top = `${ev.clientY - r.top + 12}px`;
        },
        onClick: (cell) => this.onOpenTrial(cell.trial),
      });
    };
    requestAnimationFrame(paint);
    this.cleanups.push(() => cleanup && cleanup());
    const more = names.length > 2 ? h('span.hint', null, ' each cell: the best trial over the other parameters') : null;
    return h('section.panel', { dataset: { testid: 'opt-heatmap-panel' } },
      h('header', null, h('h3', null, `${objectiveLabel(this.results.objective)} by parameters`), h('span.spacer'),
        h('label', null, 'x ', xSel), ySel ? h('label', null, ' y ', ySel) : null, more),
      host);
  }

  trialsTable(names, results) {
    const columns = COLUMNS(names, results.objective);
    let sortBy = names.length + 1; let descending = true;   // the objective, best first
    const head = h('tr');
    const body = h('tbody');
    const note = h('p.hint');
    const draw = () => {
      const [, get] = columns[sortBy];
      const key = (t) => { const v = get(t); return typeof v === 'number' && Number.isFinite(v) ? v : (typeof v === 'string' && v ? v : null); };
      const rows = [...results.trials].sort((a, b) => {
        const x = key(a); const y = key(b);
        if (x === null || y === null) return x === null ? (y === null ? a.trial - b.trial : 1) : -1;   // the empty ones last
        const c = typeof x === 'string' ? x.localeCompare(y) : x - y;
        return (descending ? -c : c) || a.trial - b.trial;
      });
      head.replaceChildren(...columns.map(([label], i) => h('th.sortable', {
        dataset: { testid: `opt-sort-${i}`, sorted: i === sortBy ? (descending ? 'desc' : 'asc') : '' },
        onclick: () => { descending = i === sortBy ? !descending : i !== 0; sortBy = i; draw(); },
      }, label + (i === sortBy ? (descending ? ' ▼' : ' ▲') : ''))));
      body.replaceChildren(...rows.slice(0, TABLE_ROWS).map((t) => h('tr', { dataset: { trial: String(t.trial) }, title: 'open this trial\'s report', onclick: () => this.onOpenTrial(t) },
        columns.map(([, get, format], i) => {
          const v = get(t);
          const text = format ? format(v) : typeof v === 'number' ? (i === names.length + 1 ? num(v, 4) : String(v)) : (v ?? '');
          return h('td', { class: i === names.length + 2 ? signClass(v) : null }, text);
        }))));
      note.textContent = rows.length > TABLE_ROWS ? `The first ${TABLE_ROWS} of ${int(rows.length)} trials in this order.` : '';
    };
    draw();
    return h('div', null, h('div.table-wrap', null, h('table.data.clickable', { dataset: { testid: 'opt-trials' } }, h('thead', null, head), body)), note);
  }

  walkForwardPanel(w, names) {
    const host = h('div.chart-host.short', { dataset: { testid: 'opt-wf-equity' } });
    loadCharts().then((LWC) => {
      if (!host.isConnected || !w.equity) return;
      this.wfChart = LWC.createChart(host, chartOptions());
      this.wfChart.addLineSeries({ color: COLORS.equity, lineWidth: 2 }).setData(lineData(w.equity.time, w.equity.equity));
      fitWhole(this.wfChart);
    }).catch(() => {});
    const rows = w.windows.map((f) => h('tr', null, h('td', null, f.fold),
      h('td', null, `${dateTime(f.inSample.start)} → ${dateTime(f.inSample.end)}`), h('td', null, `${dateTime(f.outOfSample.start)} → ${dateTime(f.outOfSample.end)}`),
      ...names.map((n) => h('td', null, f.params ? f.params[n] : '–')),
      h('td', null, num(f.inSampleObjective, 4)), h('td', null, num(f.outOfSampleObjective, 4)),
      h('td', { class: signClass(f.outOfSampleMetrics && f.outOfSampleMetrics.totalReturn) || null }, pct(f.outOfSampleMetrics && f.outOfSampleMetrics.totalReturn)),
      h('td.hint', null, f.note || '')));
    const m = w.outOfSample;
    return h('section.panel', { dataset: { testid: 'opt-walk-forward' } },
      h('header', null, h('h3', null, `Walk-forward: ${w.options.folds} folds, ${num(w.options.inSample * 100, 0)}% in sample, ${w.options.anchored ? 'anchored' : 'rolling'}`)),
      this.canvas('opt-wf-windows', (c) => drawWalkForward(c, w.windows), 'opt-canvas short'),
      h('p.hint', null, m ? `Stitched out of sample: return ${pct(m.totalReturn)} · max drawdown ${pct(m.maxDrawdown)} · sharpe ${num(m.sharpeRatio)} · ${int(m.tradeCount)} trades` : 'No out-of-sample run.'),
      host,
      h('div.table-wrap.short', null, h('table.data', { dataset: { testid: 'opt-wf-table' } },
        h('thead', null, h('tr', null, ['fold', 'in sample', 'out of sample', ...names, 'IS objective', 'OOS objective', 'OOS return', ''].map((t) => h('th', null, t)))),
        h('tbody', null, rows))));
  }

  monteCarloPanel(mc, best, results) {
    const initial = best && best.metrics ? best.metrics.initialEquity : 10000;
    const which = h('select', { dataset: { testid: 'opt-mc-method' }, onchange: () => paint() },
      h('option', { value: 'bootstrap' }, 'trades resampled'), h('option', { value: 'shuffle' }, 'trades reordered'));
    const box = h('div.opt-mc');
    const summary = h('p.hint', { dataset: { testid: 'opt-mc-summary' } });
    let cleanups = [];
    const paint = () => {
      for (const c of cleanups) c();
      const d = mc[which.value];
      const fan = h('canvas.opt-canvas', { dataset: { testid: 'opt-mc-fan' } });
      const hist = h('canvas.opt-canvas', { dataset: { testid: 'opt-mc-histogram' } });
      box.replaceChildren(h('div', null, h('h4', null, 'Equity after each trade (5–95% and 25–75% of paths)'), fan),
        h('div', null, h('h4', null, 'Final equity of the paths'), hist));
      cleanups = [drawFan(fan, d.fan, initial), drawFinalEquityHistogram(hist, d.histogram, initial, mc.actual.finalEquity)];
      summary.textContent = `Final equity: 5% ${money(d.finalEquity.p5)} · median ${money(d.finalEquity.p50)} · 95% ${money(d.finalEquity.p95)}; max drawdown: median ${pct(d.maxDrawdown.p50)}, 5% worst ${pct(d.maxDrawdown.p5)}; below the initial capital in ${pct(d.probabilityOfLoss, 1)} of the paths.`
        + (which.value === 'shuffle' ? ' Reordering the trades never changes where they end (their returns compound in any order), only the path and its drawdowns.' : '');
    };
    requestAnimationFrame(() => { if (box.isConnected) paint(); });
    this.cleanups.push(() => { for (const c of cleanups) c(); });
    return h('section.panel', { dataset: { testid: 'opt-monte-carlo' } },
      h('header', null, h('h3', null, `Monte Carlo: the best trial's ${mc.trades} trades, ${int(mc.simulations)} paths (seed ${mc.seed})`), h('span.spacer'), which),
      box, summary, results.cancelled ? h('p.hint', null, 'The search was stopped: this is the best of the trials done.') : null);
  }
}
