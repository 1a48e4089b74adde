// The Backtester / Tuner: the form on the left; on the right the live progress of a run, then its
// report. Routes: #/backtest, #/backtest?strategy=NAME[&autorun=1], #/backtest/ID.

import { api } from './api.js';
import { h, showError, emptyState } from './dom.js';
import { BacktestForm } from './backtest-form.js';
import { LivePanel } from './live-panel.js';
import { ResultsView, RESULT_POINTS } from './results-view.js';
import { MAX_CANDLES } from './charts/price-chart.js';
import { navigate } from './router.js';
import { OPTIMIZE_HANDOFF } from './optimize-form.js';

export class BacktestView {
  constructor(root) {
    this.root = root;
    this.formBox = h('aside.bt-side');
    this.liveBox = h('div');
    this.resultsBox = h('div.results', { dataset: { testid: 'results' } });
    this.errorBox = h('div.error-box', { hidden: true, dataset: { testid: 'bt-error' } });
    this.root.replaceChildren(this.formBox, h('div.bt-main', null, this.errorBox, this.liveBox, this.resultsBox));
    this.form = new BacktestForm(this.formBox, (req) => this.start(req), {
      // The Optimize view starts from this form's strategy, data and account.
      onOptimize: (req) => { sessionStorage.setItem(OPTIMIZE_HANDOFF, JSON.stringify(req)); navigate('#/optimize'); },
    });
    this.results = new ResultsView(this.resultsBox);
    this.showIntro();
    this.loaded = null;
  }

  showIntro() {
    this.resultsBox.replaceChildren(emptyState('No run selected',
      'Choose a strategy, a symbol and a range on the left and press "Run backtest" (Ctrl+Enter). Past runs are under Runs.'));
  }

  async show(args, query) {
    const t0 = performance.now();
    if (!this.loaded) this.loaded = this.form.load();
    else if (!args.length) this.form.load();
    if (args[0]) {
      // A run's report does not wait for the form's lists: both load in parallel.
      if (this.runId !== args[0]) await this.open(args[0], t0);
      return;
    }
    await this.loaded;
    const strategy = query.get('strategy');
    if (strategy) this.form.setStrategy(strategy);
    if (strategy && query.get('autorun') === '1') {
      history.replaceState(null, '', `#/backtest?strategy=${encodeURIComponent(strategy)}`);
      this.form.submit();
    }
  }

  async start(req) {
    const res = await api.run(req);
    navigate(`#/backtest/${res.id}`);
  }

  async open(id, t0 = performance.now()) {
    this.runId = id;
    if (this.live) { this.live.stop(); this.live = null; }
    this.liveBox.replaceChildren();
    showError(this.errorBox, null);
    this.resultsBox.replaceChildren(h('p.muted', null, 'Loading…'));
    let session;
    try {
      session = await api.session(id);
    } catch (e) {
      this.resultsBox.replaceChildren();
      showError(this.errorBox, e, `Run ${id}`);
      return;
    }
    if (this.runId !== id) return;
    this.session = session;
    this.loaded.then(() => { if (session.request && this.runId === id) this.form.fill(session.request); });
    if (['completed', 'stopped'].includes(session.status)) {
      // The results and the candles in parallel (the price chart needs the latter).
      const early = { results: api.results(id, RESULT_POINTS), candles: api.candles(id, MAX_CANDLES) };
      early.candles.catch(() => {});
      return this.loadResults(id, t0, early);
    }
    if (session.status === 'failed') return this.showFailure(session);
    this.resultsBox.replaceChildren(h('p.muted', { dataset: { testid: 'results-pending' } }, 'The report appears here when the run ends.'));
    this.live = new LivePanel(this.liveBox, id, (status) => {
      if (this.runId !== id) return;
      if (status === 'failed') api.session(id).then((s) => this.showFailure(s)).catch((e) => showError(this.errorBox, e, 'Run'));
      else this.loadResults(id, performance.now());
    });
    this.live.start();
  }

  showFailure(session) {
    const err = session.error || { message: 'the run failed' };
    this.resultsBox.replaceChildren();
    showError(this.errorBox, Object.assign(new Error(err.message), { code: err.code }), 'The run failed');
  }

  async loadResults(id, t0, early) {
    try {
      const results = await (early ? early.results : api.results(id, RESULT_POINTS));
      if (this.runId !== id) return;
      await this.results.render(results, { t0, session: this.session, candles: early && early.candles });
      this.resultsBox.dataset.loaded = id;
    } catch (e) {
      showError(this.errorBox, e, 'Loading the results');
    }
  }
}
