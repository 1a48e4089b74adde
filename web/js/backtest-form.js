// The backtest / tuner form: what to run, on which data, with which account, and how.
// read() turns it into the request body of POST /api/backtest/run (docs/http-api.md).

import { api } from './api.js';
import { h, showError } from './dom.js';
import { dateTime, shortId } from './format.js';

export const BUILTINS = [
  { name: 'sma-cross', label: 'sma-cross (built-in)', params: [{ name: 'fast', defaultValue: 10, minimum: 2, maximum: 100 }, { name: 'slow', defaultValue: 30, minimum: 5, maximum: 400 }] },
  { name: 'buy-and-hold', label: 'buy-and-hold (built-in)', params: [] },
];
const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '4h', '1d'];
const PRESETS = [['24h', 'Last 24h', 86400], ['7d', 'Last 7 days', 7 * 86400], ['30d', 'Last 30 days', 30 * 86400],
  ['90d', 'Last 90 days', 90 * 86400], ['1y', 'Last year', 365 * 86400], ['all', 'Whole dataset', null], ['custom', 'Custom dates', null]];

const numOrNull = (el) => (el.value.trim() === '' ? null : Number(el.value));

export class BacktestForm {
  /** options: `optimize` (the Optimize view's form: no randomized windows, baseline or live
   * settings; the parameters are its own), `submitLabel`, `extra` (fieldsets added before the
   * button), `onParams(params)` (the strategy's declared parameters, on each change),
   * `onOptimize(request)` (an "Optimize parameters" button hands over the form's request). */
  constructor(root, onSubmit, options = {}) {
    this.root = root;
    this.onSubmit = onSubmit;
    this.options = options;
    this.strategies = [];
    this.symbols = [];
    this.datasets = [];
    this.build();
  }

  build() {
    const input = (testid, attrs = {}) => h('input', Object.assign({ dataset: { testid } }, attrs));
    const f = this.f = {
      name: input('bt-name', { type: 'text', placeholder: 'optional' }),
      strategy: h('select', { dataset: { testid: 'bt-strategy' }, onchange: () => this.renderParams() }),
      symbol: h('select', { dataset: { testid: 'bt-symbol' }, onchange: () => this.symbolChanged() }),
      symbolSearch: input('bt-symbol-search', { type: 'search', placeholder: 'search symbols', size: 12, oninput: () => this.filterSymbols() }),
      timeframe: h('select', { dataset: { testid: 'bt-timeframe' } }, TIMEFRAMES.map((t) => h('option', { value: t, selected: t === '15m' }, t))),
      range: h('select', { dataset: { testid: 'bt-range' }, onchange: () => this.updateRangeHint() }, PRESETS.map(([v, l]) => h('option', { value: v, selected: v === 'all' }, l))),
      start: input('bt-start', { type: 'date', onchange: () => this.updateRangeHint() }),
      end: input('bt-end', { type: 'date', onchange: () => this.updateRangeHint() }),
      randomized: input('bt-randomized', { type: 'checkbox', onchange: () => this.updateRandomized() }),
      runs: input('bt-runs', { type: 'number', min: 1, max: 10000, value: 20 }),
      duration: input('bt-duration', { type: 'text', value: '3d', size: 6, title: 'e.g. 12h, 3d, 2w' }),
      seed: input('bt-seed', { type: 'number', value: 42 }),
      capital: input('bt-capital', { type: 'number', min: 1, step: 'any', value: 10000 }),
      commission: input('bt-commission', { type: 'number', min: 0, step: 'any', value: 0.001, title: 'fee rate per fill: 0.001 = 0.1%' }),
      slippage: input('bt-slippage', { type: 'number', min: 0, step: 'any', value: 2 }),
      size: input('bt-size', { type: 'number', min: 0.01, max: 100, step: 'any', value: 100 }),
      maxOpen: input('bt-max-open', { type: 'number', min: 1, value: 1 }),
      allowShort: input('bt-allow-short', { type: 'checkbox' }),
      stopLoss: input('bt-stop-loss', { type: 'number', min: 0, step: 'any', placeholder: 'off' }),
      takeProfit: input('bt-take-profit', { type: 'number', min: 0, step: 'any', placeholder: 'off' }),
      baseline: h('select', { dataset: { testid: 'bt-baseline' } }, h('option', { value: '' }, 'none'), h('option', { value: 'buy-and-hold', selected: true }, 'buy-and-hold')),
      stateEvery: input('bt-state-every', { type: 'number', min: 1, value: 10, title: 'bars between live updates' }),
    };
    this.paramsEl = h('div.param-grid', { dataset: { testid: 'bt-params' } });
    this.rangeHint = h('span.hint', { dataset: { testid: 'bt-range-hint' } });
    this.customRange = h('div.row', { hidden: true }, h('label', null, 'From ', f.start), h('label', null, 'To ', f.end));
    this.randomBox = h('div.row', { hidden: true },
      h('label', null, 'Runs ', f.runs), h('label', null, 'Duration ', f.duration), h('label', null, 'Seed ', f.seed));
    this.errorBox = h('div.error-box', { hidden: true, dataset: { testid: 'bt-form-error' } });
    const o = this.options;
    this.submitBtn = h('button.primary', { type: 'submit', dataset: { testid: o.optimize ? 'opt-submit' : 'bt-submit' }, title: 'Ctrl+Enter' },
      o.submitLabel || '▶ Run backtest');
    const optimizeBtn = o.onOptimize ? h('button', { type: 'button', dataset: { testid: 'bt-optimize' }, title: 'Search these parameters for the best ones',
      onclick: () => o.onOptimize(this.read()) }, 'Optimize parameters…') : null;
    const row = (...c) => h('div.row', null, ...c);
    const lab = (text, el, extra) => h('label', null, text, ' ', el, extra || null);
    this.formEl = h('form.bt-form', { dataset: { testid: 'bt-form' }, onsubmit: (e) => { e.preventDefault(); this.submit(); } },
      h('fieldset', null, h('legend', null, 'Strategy'),
        row(lab('Strategy', f.strategy)), this.paramsEl, row(lab('Run name', f.name))),
      h('fieldset', null, h('legend', null, 'Data'),
        row(lab('Symbol', f.symbol), f.symbolSearch, lab('Timeframe', f.timeframe)),
        row(lab('Range', f.range)), this.customRange, this.rangeHint,
        o.optimize ? null : row(h('label.check', null, f.randomized, ' Randomized testing (random windows)')), o.optimize ? null : this.randomBox),
      h('fieldset', null, h('legend', null, 'Account'),
        row(lab('Initial capital', f.capital), lab('Position size %', f.size)),
        row(lab('Commission', f.commission), lab('Slippage (bps)', f.slippage)),
        row(lab('Max open trades', f.maxOpen), h('label.check', null, f.allowShort, ' Allow short')),
        row(lab('Stop-loss %', f.stopLoss), lab('Take-profit %', f.takeProfit))),
      o.optimize ? null : h('fieldset', null, h('legend', null, 'Compare & live'),
        row(lab('Baseline', f.baseline), lab('Live update every', f.stateEvery, ' bars'))),
      ...(o.extra || []),
      this.errorBox,
      h('div.row.actions', null, this.submitBtn, optimizeBtn));
    this.paramsEl.hidden = !!o.optimize;
    this.root.replaceChildren(this.formEl);
  }

  async load() {
    const [s, y, runs, searches] = await Promise.allSettled([api.strategies(), api.symbols(), api.sessions({ status: 'completed', limit: 50 }),
      api.optimizations({ status: 'completed', limit: 20 })]);
    const errors = [];
    if (s.status === 'fulfilled') this.strategies = s.value.strategies; else errors.push(['Loading strategies', s.reason]);
    if (y.status === 'fulfilled') { this.symbols = y.value.categories; this.datasets = y.value.datasets || []; } else errors.push(['Loading symbols', y.reason]);
    if (errors.length) showError(this.errorBox, errors[0][1], errors[0][0]); else showError(this.errorBox, null);
    const keep = this.f.strategy.value;
    this.f.strategy.replaceChildren(
      h('optgroup', { label: 'Saved strategies' }, this.strategies.map((x) => h('option', { value: x.name }, `${x.name}${x.metadata && x.metadata.name ? ` — ${x.metadata.name}` : ''}`))),
      h('optgroup', { label: 'Built-in' }, BUILTINS.map((b) => h('option', { value: b.name }, b.label))));
    if (keep) this.f.strategy.value = keep;
    const keepSym = this.f.symbol.value;
    // The curated symbols first, then every other dataset of the data folder (the user's own files).
    const own = this.ownSymbols();
    this.f.symbol.replaceChildren(...this.symbols.map((c) => h('optgroup', { label: c.name },
      c.symbols.map((x) => h('option', { value: x.symbol, disabled: !x.available }, `${x.symbol}${x.available ? '' : ' (no data)'}`)))),
      ...(own.length ? [h('optgroup', { label: 'My data', dataset: { testid: 'bt-my-data' } }, own.map((x) => h('option', { value: x.symbol, title: x.file },
        `${x.symbol} · ${x.timeframe || '?'} · ${(x.bars || 0).toLocaleString('en-US')} bars · ${(x.from || '').slice(0, 10)} → ${(x.to || '').slice(0, 10)}${x.source !== '.' ? ` · ${x.source}` : ''}`)))] : []));
    const firstAvailable = this.symbols.flatMap((c) => c.symbols).find((x) => x.available);
    this.f.symbol.value = keepSym || (firstAvailable ? firstAvailable.symbol : '');
    const base = this.f.baseline.value;
    for (const o of [...this.f.baseline.querySelectorAll('option[data-run]')]) o.remove();
    if (runs.status === 'fulfilled') {
      for (const r of runs.value.sessions) this.f.baseline.append(h('option', { value: r.id, dataset: { run: '1' } }, `run: ${r.name || r.strategy} (${r.symbol} ${r.timeframe}) ${shortId(r.id)}`));
    }
    if (searches.status === 'fulfilled') {
      // An optimization's model: its best parameters, run beside this run on the same data.
      for (const o of searches.value.optimizations) {
        if (!o.best) continue;
        const params = Object.entries(o.best.params).map(([k, v]) => `${k}=${v}`).join(', ');
        this.f.baseline.append(h('option', { value: o.id, dataset: { run: '1' } }, `tuned: ${o.strategy} ${params} (${o.symbol} ${o.timeframe}) ${shortId(o.id)}`));
      }
    }
    this.setBaseline(base);
    this.renderParams();
    this.updateRangeHint();
  }

  setStrategy(name) {
    if (![...this.f.strategy.options].some((o) => o.value === name)) this.f.strategy.append(h('option', { value: name }, name));
    this.f.strategy.value = name;
    this.renderParams();
  }

  strategyParams() {
    const name = this.f.strategy.value;
    const b = BUILTINS.find((x) => x.name === name);
    if (b) return b.params;
    const s = this.strategies.find((x) => x.name === name);
    return (s && s.metadata && s.metadata.params) || [];
  }

  renderParams() {
    const params = this.strategyParams();
    this.paramsEl.replaceChildren(...params.map((p) => h('label', { title: p.summary || '' }, `${p.name} `,
      h('input', { type: 'number', step: p.isInteger === false ? 'any' : 1, min: p.minimum ?? undefined, max: p.maximum ?? undefined, value: p.defaultValue, dataset: { param: p.name, testid: `bt-param-${p.name}` } }),
      p.minimum !== null && p.minimum !== undefined ? h('span.hint', null, ` [${p.minimum}, ${p.maximum}]`) : null)));
    if (!params.length) this.paramsEl.append(h('span.hint', null, 'This strategy declares no parameters.'));
    if (this.options.onParams) this.options.onParams(params);
  }

  /** The datasets of symbols outside the curated list: per symbol, the one with the most bars. */
  ownSymbols() {
    const best = new Map();
    for (const d of this.datasets) {
      if (d.curated) continue;
      const b = best.get(d.symbol);
      if (!b || d.bars > b.bars) best.set(d.symbol, d);
    }
    return [...best.values()].map((d) => Object.assign({ available: true }, d));
  }

  symbolInfo() {
    for (const c of this.symbols) for (const s of c.symbols) if (s.symbol === this.f.symbol.value) return s;
    return this.ownSymbols().find((s) => s.symbol === this.f.symbol.value) || null;
  }

  /** Shows only the symbols whose option text contains the search text. */
  filterSymbols() {
    const q = this.f.symbolSearch.value.trim().toLowerCase();
    let first = null;
    for (const o of this.f.symbol.querySelectorAll('option')) {
      o.hidden = !!q && !o.textContent.toLowerCase().includes(q);
      if (!o.hidden && !o.disabled && !first) first = o;
    }
    const current = this.f.symbol.selectedOptions[0];
    if (first && (!current || current.hidden)) { this.f.symbol.value = first.value; this.symbolChanged(); }
  }

  /** A dataset coarser than the chosen timeframe cannot be run at it: take the dataset's own. */
  symbolChanged() {
    const info = this.symbolInfo();
    const order = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'];
    if (info && info.timeframe && order.indexOf(info.timeframe) > order.indexOf(this.f.timeframe.value)) {
      if (![...this.f.timeframe.options].some((o) => o.value === info.timeframe)) this.f.timeframe.append(h('option', { value: info.timeframe }, info.timeframe));
      this.f.timeframe.value = info.timeframe;
    }
    this.updateRangeHint();
  }

  updateRandomized() { this.randomBox.hidden = !this.f.randomized.checked; }

  /** {start, end} ISO strings of the chosen range, or nulls for the whole dataset. */
  range() {
    const preset = this.f.range.value;
    if (preset === 'custom') {
      return { start: this.f.start.value ? `${this.f.start.value}T00:00:00Z` : null, end: this.f.end.value ? `${this.f.end.value}T23:59:59Z` : null };
    }
    const p = PRESETS.find((x) => x[0] === preset);
    const info = this.symbolInfo();
    if (!p || !p[2] || !info || !info.to) return { start: null, end: null };
    const to = new Date(info.to).getTime();
    let from = to - p[2] * 1000;
    if (info.from) from = Math.max(from, new Date(info.from).getTime());
    return { start: new Date(from).toISOString().replace('.000', ''), end: new Date(to).toISOString().replace('.000', '') };
  }

  /** Why the chosen range cannot run (reversed, or outside the dataset), or null. */
  rangeProblem() {
    const { start, end } = this.range();
    const info = this.symbolInfo();
    const t = (v) => (v ? new Date(v).getTime() : null);
    if (start && end && t(start) >= t(end)) return 'The start must be before the end.';
    if (!info || !info.from || !info.to) return null;
    if ((start && t(start) > t(info.to)) || (end && t(end) <= t(info.from))) {
      return `No data from ${dateTime(start) || 'the start'} to ${dateTime(end) || 'the end'}: the dataset runs from ${dateTime(info.from)} to ${dateTime(info.to)}.`;
    }
    return null;
  }

  updateRangeHint() {
    this.customRange.hidden = this.f.range.value !== 'custom';
    const info = this.symbolInfo();
    if (!info) { this.rangeHint.textContent = this.symbols.length ? '' : 'No symbols: generate data with `tradelab data sample --out data`.'; return; }
    const { start, end } = this.range();
    const problem = this.rangeProblem();
    this.rangeHint.classList.toggle('error-text', !!problem);
    this.rangeHint.dataset.problem = problem ? '1' : '';
    this.rangeHint.textContent = problem || (info.available
      ? `Dataset ${dateTime(info.from)} → ${dateTime(info.to)} (${(info.bars || 0).toLocaleString('en-US')} bars ${info.timeframe || ''}).` + (start ? ` Running ${dateTime(start)} → ${dateTime(end)}.` : '')
      : 'No data for this symbol in the data directory.');
    if (this.f.range.value === 'custom' && info.from && !this.f.start.value) {
      this.f.start.value = info.from.slice(0, 10);
      this.f.end.value = (info.to || '').slice(0, 10);
    }
  }

  read() {
    const f = this.f;
    const params = {};
    for (const el of this.paramsEl.querySelectorAll('input[data-param]')) if (el.value !== '') params[el.dataset.param] = Number(el.value);
    const { start, end } = this.range();
    const data = { symbol: f.symbol.value, timeframe: f.timeframe.value };
    if (start) data.start = start;
    if (end) data.end = end;
    const req = {
      strategy: f.strategy.value,
      params,
      data,
      account: {
        initialCapital: numOrNull(f.capital), commission: numOrNull(f.commission), slippageBps: numOrNull(f.slippage),
        positionSizePercent: numOrNull(f.size), maxOpenTrades: numOrNull(f.maxOpen), allowShort: f.allowShort.checked,
        stopLossPercent: numOrNull(f.stopLoss), takeProfitPercent: numOrNull(f.takeProfit),
      },
      stateEvery: numOrNull(f.stateEvery) || 10,
      // A person watches at most a few dozen updates a second; more would only slow the run.
      stateIntervalMs: 30,
    };
    for (const k of Object.keys(req.account)) if (req.account[k] === null) delete req.account[k];
    if (f.name.value.trim()) req.name = f.name.value.trim();
    if (f.randomized.checked) req.randomized = { runs: Number(f.runs.value) || 1, duration: f.duration.value.trim() || '3d', seed: Number(f.seed.value) || 0 };
    if (f.baseline.value) req.baseline = f.baseline.value;
    return req;
  }

  /** Selects a baseline ('' for none, 'buy-and-hold', or a run id, listed even when it is not among the recent runs). */
  setBaseline(value) {
    const f = this.f;
    if (value && ![...f.baseline.options].some((o) => o.value === value)) f.baseline.append(h('option', { value, dataset: { run: '1' } }, `run ${shortId(value)}`));
    f.baseline.value = value || '';
  }

  /** Fills the form from a previous run's request (to re-run it). */
  fill(req) {
    if (!req) return;
    const f = this.f;
    if (req.strategy) this.setStrategy(req.strategy);
    for (const [k, v] of Object.entries(req.params || {})) { const el = this.paramsEl.querySelector(`input[data-param="${k}"]`); if (el) el.value = v; }
    if (req.data) {
      if (req.data.symbol) f.symbol.value = req.data.symbol;
      if (req.data.timeframe) f.timeframe.value = req.data.timeframe;
      if (req.data.start || req.data.end) {
        f.range.value = 'custom';
        f.start.value = (req.data.start || '').slice(0, 10);
        f.end.value = (req.data.end || '').slice(0, 10);
      }
    }
    const a = req.account || {};
    const set = (el, v) => { if (v !== undefined) el.value = v === null ? '' : v; };
    set(f.capital, a.initialCapital); set(f.commission, a.commission); set(f.slippage, a.slippageBps);
    set(f.size, a.positionSizePercent); set(f.maxOpen, a.maxOpenTrades); set(f.stopLoss, a.stopLossPercent); set(f.takeProfit, a.takeProfitPercent);
    if (a.allowShort !== undefined) f.allowShort.checked = !!a.allowShort;
    this.setBaseline(req.baseline || '');
    f.name.value = '';   // a re-run is a new run: it gets its own name
    f.randomized.checked = !!req.randomized;
    if (req.randomized) { set(f.runs, req.randomized.runs); set(f.duration, req.randomized.duration); set(f.seed, req.randomized.seed); }
    this.updateRandomized();
    this.updateRangeHint();
  }

  async submit() {
    showError(this.errorBox, null);
    if (!this.f.symbol.value) { showError(this.errorBox, new Error('Pick a symbol with data (generate sample data with `tradelab data sample --out data`).')); return; }
    const problem = this.rangeProblem();
    if (problem) { showError(this.errorBox, new Error(problem)); return; }
    this.submitBtn.disabled = true;
    try {
      await this.onSubmit(this.read());
      this.f.name.value = '';   // a name belongs to one run
    } catch (e) {
      showError(this.errorBox, e, this.options.submitContext || 'Starting the backtest');
    } finally {
      this.submitBtn.disabled = false;
    }
  }
}
