// The Optimize form: the backtest form's strategy, data and account, each declared parameter
// searched over a range (prefilled from the strategy header) or fixed, and the search: method,
// objective, constraints, filters, walk-forward and Monte Carlo. read() is the body of
// POST /api/optimize (docs/http-api.md#optimizations).

import { h } from './dom.js';
import { BacktestForm } from './backtest-form.js';
import { int } from './format.js';

/** sessionStorage key under which the Tuner hands its request over to the Optimize view. */
export const OPTIMIZE_HANDOFF = 'tradelab.optimize.request';

export const OBJECTIVES = [['sharpe', 'Sharpe ratio'], ['sortino', 'Sortino ratio'], ['calmar', 'Calmar ratio'], ['totalReturn', 'Total return'],
  ['finalEquity', 'Final equity'], ['profitFactor', 'Profit factor'], ['winRate', 'Win rate'], ['sqn', 'SQN'], ['cagr', 'CAGR'],
  ['expectancy', 'Expectancy'], ['maxDrawdown', 'Max drawdown (smallest)']];

/** A first range around a parameter's default inside its declared bounds: about ten values. */
export function defaultRange(p) {
  const integer = p.isInteger !== false;
  const d = Number(p.defaultValue ?? 10);
  let from = d > 0 ? d / 2 : d - 5; let to = d > 0 ? d * 2 : d + 5;
  if (p.minimum !== null && p.minimum !== undefined) from = Math.max(from, p.minimum);
  if (p.maximum !== null && p.maximum !== undefined) to = Math.min(to, p.maximum);
  if (integer) { from = Math.ceil(from); to = Math.floor(to); }
  if (to < from) to = from;
  let step = (to - from) / 9;
  step = integer ? Math.max(1, Math.round(step)) : Number(step.toPrecision(2)) || 1;
  return { from, to, step };
}

/** The values of "from:to:step" (inclusive), as the server reads them; null when malformed. */
export function rangeValues(from, to, step) {
  if (![from, to, step].every(Number.isFinite) || step <= 0 || to < from) return null;
  const n = Math.floor((to - from) / step + 1e-9) + 1;
  return n > 1_000_000 ? null : Array.from({ length: n }, (_, k) => Number((from + k * step).toPrecision(12)));
}

export class OptimizeForm {
  /** onSubmit(body) starts the optimization. */
  constructor(root, onSubmit) {
    this.onSubmit = onSubmit;
    this.params = [];
    const input = (testid, attrs = {}) => h('input', Object.assign({ dataset: { testid } }, attrs));
    const f = this.f = {
      method: h('select', { dataset: { testid: 'opt-method' }, onchange: () => this.updateMethod() },
        [['grid', 'Grid (every combination)'], ['random', 'Random draws'], ['genetic', 'Genetic search']].map(([v, l]) => h('option', { value: v }, l))),
      trials: input('opt-trials', { type: 'number', min: 1, value: 100 }),
      population: input('opt-population', { type: 'number', min: 2, value: 40 }),
      generations: input('opt-generations', { type: 'number', min: 1, value: 20 }),
      objective: h('select', { dataset: { testid: 'opt-objective' } }, OBJECTIVES.map(([v, l]) => h('option', { value: v }, l))),
      constraints: input('opt-constraints', { type: 'text', placeholder: 'e.g. fast<slow', size: 16, title: 'rules between parameters, separated by commas' }),
      minTrades: input('opt-min-trades', { type: 'number', min: 0, placeholder: 'any' }),
      maxDrawdown: input('opt-max-drawdown', { type: 'number', min: 0, max: 100, step: 'any', placeholder: 'any' }),
      seed: input('opt-seed', { type: 'number', value: 42 }),
      walkForward: input('opt-walk-forward', { type: 'checkbox', onchange: () => this.updateMethod() }),
      folds: input('opt-folds', { type: 'number', min: 1, max: 1000, value: 4 }),
      inSample: input('opt-in-sample', { type: 'number', min: 1, max: 99, value: 70 }),
      anchored: input('opt-anchored', { type: 'checkbox' }),
      monteCarlo: input('opt-monte-carlo', { type: 'number', min: 0, max: 100000, value: 1000, title: 'paths resampled from the best trial\'s trades; 0: off' }),
    };
    this.rangesBody = h('tbody', { dataset: { testid: 'opt-ranges' } });
    this.countHint = h('span.hint', { dataset: { testid: 'opt-combinations' } });
    const row = (...c) => h('div.row', null, ...c);
    const lab = (text, el, extra) => h('label', null, text, ' ', el, extra || null);
    this.randomRow = row(lab('Trials', f.trials));
    this.geneticRow = row(lab('Population', f.population), lab('Generations', f.generations));
    this.walkRow = row(lab('Folds', f.folds), lab('In sample', f.inSample, '%'), h('label.check', null, f.anchored, ' anchored'));
    const ranges = h('fieldset', null, h('legend', null, 'Parameters'),
      h('table.data.ranges', null, h('thead', null, h('tr', null, ['', 'search', 'from', 'to', 'step', 'or fixed'].map((t) => h('th', null, t)))), this.rangesBody),
      this.countHint);
    const search = h('fieldset', null, h('legend', null, 'Search'),
      row(lab('Method', f.method)), this.randomRow, this.geneticRow,
      row(lab('Objective', f.objective)), row(lab('Constraints', f.constraints)),
      row(lab('Min trades', f.minTrades), lab('Max drawdown', f.maxDrawdown, '%')), row(lab('Seed', f.seed)),
      row(h('label.check', null, f.walkForward, ' Walk-forward test')), this.walkRow,
      row(lab('Monte Carlo paths', f.monteCarlo)));
    this.base = new BacktestForm(root, (req) => this.submit(req), {
      optimize: true, submitLabel: '▶ Optimize', submitContext: 'Starting the optimization', extra: [ranges, search],
      onParams: (params) => this.renderRanges(params),
    });
    this.updateMethod();
  }

  load() { return this.base.load(); }

  updateMethod() {
    const m = this.f.method.value;
    this.randomRow.hidden = m !== 'random';
    this.geneticRow.hidden = m !== 'genetic';
    this.walkRow.hidden = !this.f.walkForward.checked;
    this.updateCount();
  }

  /** One row per declared parameter: the first two searched over a range around their default. */
  renderRanges(params) {
    this.params = params;
    const cell = (el) => h('td', null, el);
    this.rangesBody.replaceChildren(...params.map((p, i) => {
      const r = defaultRange(p);
      const step = p.isInteger === false ? 'any' : 1;
      const num = (key, value) => h('input', { type: 'number', step, value, size: 6, dataset: { testid: `opt-${key}-${p.name}`, key }, oninput: () => this.updateCount() });
      const searched = h('input', { type: 'checkbox', checked: i < 2, dataset: { testid: `opt-search-${p.name}`, key: 'search' }, onchange: () => this.updateCount() });
      const bounds = p.minimum !== null && p.minimum !== undefined ? `[${p.minimum}, ${p.maximum}]` : '';
      return h('tr', { dataset: { param: p.name } }, h('td', { title: p.summary || '' }, h('strong', null, p.name), h('br'), h('span.hint', null, bounds)),
        cell(searched), cell(num('from', r.from)), cell(num('to', r.to)), cell(num('step', r.step)), cell(num('value', p.defaultValue)));
    }));
    if (!params.length) this.rangesBody.append(h('tr', null, h('td', { colSpan: 6 }, h('span.hint', null, 'This strategy declares no parameters: there is nothing to search.'))));
    const names = params.map((p) => p.name);
    if (!this.f.constraints.value && names.includes('fast') && names.includes('slow')) this.f.constraints.value = 'fast<slow';
    this.updateCount();
  }

  rowOf(name) { return this.rangesBody.querySelector(`tr[data-param="${CSS.escape(name)}"]`); }

  /** {name: {searched, from, to, step, value}} as typed. */
  rangeInputs() {
    const out = {};
    for (const tr of this.rangesBody.querySelectorAll('tr[data-param]')) {
      const get = (key) => tr.querySelector(`[data-key="${key}"]`);
      out[tr.dataset.param] = { searched: get('search').checked, from: Number(get('from').value), to: Number(get('to').value),
        step: Number(get('step').value), value: get('value').value === '' ? null : Number(get('value').value) };
      for (const key of ['from', 'to', 'step']) get(key).disabled = !get('search').checked;
      get('value').disabled = get('search').checked;
    }
    return out;
  }

  /** The grid's size before constraints, or what random and genetic searches run. */
  updateCount() {
    const inputs = this.rangeInputs();
    const searched = Object.entries(inputs).filter(([, r]) => r.searched);
    let total = 1; let bad = null;
    for (const [name, r] of searched) {
      const values = rangeValues(r.from, r.to, r.step);
      if (!values) { bad = name; break; }
      total *= values.length;
    }
    const m = this.f.method.value;
    this.countHint.classList.toggle('error-text', !!bad || !searched.length);
    this.countHint.dataset.count = bad || !searched.length ? '' : String(total);
    this.countHint.textContent = !searched.length ? 'Search at least one parameter.'
      : bad ? `The range of ${bad} is not valid (from ≤ to, step > 0).`
        : `${int(total)} combination${total === 1 ? '' : 's'} before constraints` + (m === 'grid' ? '' : m === 'random' ? `; ${this.f.trials.value} drawn` : '; the genetic search tries some');
  }

  /** The request body from the backtest form's request. */
  submit(base) {
    const f = this.f;
    const body = { strategy: base.strategy, data: base.data, account: base.account, paramRanges: {}, method: f.method.value, objective: f.objective.value };
    if (base.name) body.name = base.name;
    const params = {};
    for (const [name, r] of Object.entries(this.rangeInputs())) {
      if (r.searched) body.paramRanges[name] = `${r.from}:${r.to}:${r.step}`;
      else if (r.value !== null) params[name] = r.value;
    }
    if (Object.keys(params).length) body.params = params;
    const constraints = f.constraints.value.split(/[,;]/).map((c) => c.trim()).filter(Boolean)
      .filter((c) => (c.match(/[A-Za-z_]\w*/g) || []).every((n) => body.paramRanges[n] !== undefined || !this.params.some((p) => p.name === n)));
    if (constraints.length) body.constraints = constraints;
    if (body.method === 'random') body.trials = Number(f.trials.value) || 100;
    if (body.method === 'genetic') { body.population = Number(f.population.value) || 40; body.generations = Number(f.generations.value) || 20; }
    if (f.minTrades.value !== '') body.minTrades = Number(f.minTrades.value);
    if (f.maxDrawdown.value !== '') body.maxDrawdownPercent = Number(f.maxDrawdown.value);
    if (f.seed.value !== '') body.seed = Number(f.seed.value);
    if (f.walkForward.checked) body.walkForward = { folds: Number(f.folds.value) || 4, inSamplePercent: Number(f.inSample.value) || 70, anchored: f.anchored.checked };
    if (Number(f.monteCarlo.value) > 0) body.monteCarlo = Number(f.monteCarlo.value);
    return this.onSubmit(body);
  }

  /** Fills the form from a backtest request (the Tuner's) or an optimization's request. */
  fill(req) {
    if (!req) return;
    this.base.fill(Object.assign({}, req, { baseline: undefined, randomized: undefined }));
    const f = this.f;
    for (const [name, value] of Object.entries(req.params || {})) {
      const tr = this.rowOf(name);
      if (!tr) continue;
      tr.querySelector('[data-key="value"]').value = value;
      if (req.paramRanges) tr.querySelector('[data-key="search"]').checked = false;
    }
    for (const [name, range] of Object.entries(req.paramRanges || {})) {
      const tr = this.rowOf(name);
      if (!tr) continue;
      const set = (key, v) => { tr.querySelector(`[data-key="${key}"]`).value = v; };
      tr.querySelector('[data-key="search"]').checked = true;
      const parts = typeof range === 'string' ? range.split(':').map(Number) : null;
      if (parts && parts.length === 3) { set('from', parts[0]); set('to', parts[1]); set('step', parts[2]); }
      else {
        const list = Array.isArray(range) ? range : String(range).split(',').map(Number);
        const sorted = [...list].sort((a, b) => a - b);
        set('from', sorted[0]); set('to', sorted[sorted.length - 1]);
        set('step', sorted.length > 1 ? sorted[1] - sorted[0] : 1);
      }
    }
    if (req.paramRanges) {
      for (const tr of this.rangesBody.querySelectorAll('tr[data-param]')) {
        if (req.paramRanges[tr.dataset.param] === undefined) tr.querySelector('[data-key="search"]').checked = false;
      }
    }
    const set = (el, v) => { if (v !== undefined && v !== null) el.value = v; };
    set(f.method, req.method); set(f.objective, req.objective); set(f.trials, req.trials);
    set(f.population, req.population); set(f.generations, req.generations);
    if (req.constraints) f.constraints.value = req.constraints.join(', ');
    set(f.minTrades, req.minTrades); set(f.maxDrawdown, req.maxDrawdownPercent); set(f.seed, req.seed);
    if (req.paramRanges) {
      f.walkForward.checked = !!req.walkForward;
      f.monteCarlo.value = req.monteCarlo || 0;
    }
    if (req.walkForward) { set(f.folds, req.walkForward.folds); set(f.inSample, req.walkForward.inSamplePercent); f.anchored.checked = !!req.walkForward.anchored; }
    this.updateMethod();
  }
}
