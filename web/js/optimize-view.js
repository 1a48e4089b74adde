// The Optimize view: the form on the left (reached from the Tuner with its strategy, data and
// account); on the right the live progress of a search (genetic: best and mean objective per
// generation), then its report. Routes: #/optimize, #/optimize/ID.

import { api } from './api.js';
import { h, showError, emptyState } from './dom.js';
import { int, num, shortId, dateTime } from './format.js';
import { subscribe, isOpen } from './live-socket.js';
import { navigate } from './router.js';
import { OptimizeForm, OPTIMIZE_HANDOFF } from './optimize-form.js';
import { OptimizeResults, objectiveLabel } from './optimize-results.js';
import { drawGenerations } from './charts/optimize-charts.js';

const FINAL = ['completed', 'stopped', 'failed'];

export class OptimizeView {
  constructor(root) {
    this.root = root;
    this.formBox = h('aside.bt-side');
    this.recentBox = h('section.opt-recent', { dataset: { testid: 'opt-recent' } });
    this.progressBox = h('div');
    this.resultsBox = h('div.results', { dataset: { testid: 'opt-results' } });
    this.errorBox = h('div.error-box', { hidden: true, dataset: { testid: 'opt-error' } });
    this.root.replaceChildren(h('div.opt-side', null, this.formBox, this.recentBox),
      h('div.bt-main', null, this.errorBox, this.progressBox, this.resultsBox));
    this.form = new OptimizeForm(this.formBox, (body) => this.start(body));
    this.results = new OptimizeResults(this.resultsBox, (trial) => this.openTrial(trial));
    this.loaded = null;
  }

  showIntro() {
    this.resultsBox.replaceChildren(emptyState('No optimization selected',
      'Choose the ranges of the parameters to search and press "Optimize". Every trial is a full backtest with the account on the left; the report says how much of the best result can be luck.'));
  }

  async show(args, query) {
    if (!this.loaded) this.loaded = this.form.load();
    else if (!args.length) this.form.load();
    this.refreshRecent();
    if (args[0]) {
      if (this.id !== args[0]) await this.open(args[0]);
      return;
    }
    this.close();
    this.showIntro();
    await this.loaded;
    const handed = sessionStorage.getItem(OPTIMIZE_HANDOFF);
    if (handed) {
      sessionStorage.removeItem(OPTIMIZE_HANDOFF);
      try { this.form.fill(JSON.parse(handed)); } catch (e) { console.error(e); }
    }
    if (query.get('strategy')) this.form.base.setStrategy(query.get('strategy'));
  }

  async refreshRecent() {
    try {
      const { optimizations } = await api.optimizations({ limit: 15 });
      this.recentBox.replaceChildren(h('h3', null, 'Recent optimizations'), optimizations.length
        ? h('ul.feed', null, optimizations.map((o) => h('li', null, h('a', { href: `#/optimize/${o.id}`, dataset: { testid: 'opt-recent-item', id: o.id } },
          `${o.name}`), ' ', h(`span.badge.${o.status}`, null, o.status), h('span.hint', null, ` ${int(o.trialsDone)} trials · ${dateTime(o.createdAt)}`))))
        : h('p.hint', null, 'None yet.'));
    } catch (e) {
      this.recentBox.replaceChildren(h('p.hint', null, `Cannot list the optimizations: ${e.message}`));
    }
  }

  async start(body) {
    const op = await api.optimize(body);
    navigate(`#/optimize/${op.id}`);
  }

  close() {
    if (this.unsubscribe) { this.unsubscribe(); this.unsubscribe = null; }
    if (this.poll) { clearInterval(this.poll); this.poll = null; }
    if (this.generationsCleanup) { this.generationsCleanup(); this.generationsCleanup = null; }
    this.id = null;
    this.progressBox.replaceChildren();
  }

  async open(id) {
    this.close();
    this.id = id;
    this.ended = false;
    showError(this.errorBox, null);
    this.results.clear();
    this.resultsBox.replaceChildren(h('p.muted', null, 'Loading…'));
    let op;
    try {
      op = await api.optimization(id);
    } catch (e) {
      this.resultsBox.replaceChildren();
      showError(this.errorBox, e, `Optimization ${id}`);
      return;
    }
    if (this.id !== id) return;
    this.op = op;
    this.loaded.then(() => { if (op.request && this.id === id) this.form.fill(op.request); });
    if (FINAL.includes(op.status)) return this.finished(op);
    this.resultsBox.replaceChildren(h('p.muted', { dataset: { testid: 'opt-pending' } }, 'The report appears here when the search ends.'));
    this.buildProgress(op);
    this.update(op);
    this.unsubscribe = subscribe(id, (msg) => this.update(msg));
    // While the socket is down, poll.
    this.poll = setInterval(() => { if (!isOpen()) api.optimization(id).then((v) => this.update(v)).catch(() => {}); }, 1000);
  }

  buildProgress(op) {
    this.bar = h('div.progress-fill');
    this.progressEl = h('div.progress', { dataset: { testid: 'opt-progress', progress: '0' } }, this.bar);
    this.progressText = h('span', { dataset: { testid: 'opt-progress-text' } }, 'queued');
    this.statusEl = h('span.badge', { dataset: { testid: 'opt-live-status' } }, op.status);
    this.bestEl = h('p', { dataset: { testid: 'opt-live-best' } }, 'No trial has finished yet.');
    this.stopBtn = h('button', { type: 'button', dataset: { testid: 'opt-stop' }, onclick: () => this.stop() }, 'Stop');
    this.generationsCanvas = h('canvas.opt-canvas', { dataset: { testid: 'opt-live-generations' }, hidden: op.method !== 'genetic' });
    this.progressBox.replaceChildren(h('section.live-panel', { dataset: { testid: 'opt-live', id: op.id } },
      h('div.toolbar', null, h('strong', null, `${op.name} · ${op.method} · ${objectiveLabel(op.objective)}`), this.statusEl, this.progressText,
        h('span.spacer'), h('span.hint', null, shortId(op.id)), this.stopBtn),
      this.progressEl, this.bestEl, this.generationsCanvas));
  }

  /** A view or an optimization_update message: the same counts, best and generations. */
  update(v) {
    if (!this.statusEl || (v.id || v.optimizationId) !== this.id) return;
    const done = v.trialsDone || 0; const total = v.trialsTotal || 0;
    const share = total ? Math.min(1, done / total) : 0;
    this.bar.style.width = `${(share * 100).toFixed(1)}%`;
    this.progressEl.dataset.progress = String(Math.round(share * 100));
    this.progressEl.dataset.done = String(done);
    this.statusEl.textContent = v.status;
    this.statusEl.className = `badge ${v.status}`;
    this.progressText.textContent = v.status === 'queued' ? 'waiting for a worker' : `${int(done)} / ${int(total)} trials${v.phase === 'walk-forward' ? ' (walk-forward)' : ''}`;
    this.stopBtn.disabled = FINAL.includes(v.status) || v.status === 'stopping';
    if (v.best) {
      const params = Object.entries(v.best.params).map(([k, x]) => `${k} ${x}`).join(' · ');
      this.bestEl.textContent = `Best so far: ${params} — ${objectiveLabel(this.op.objective)} ${num(v.best.objective, 4)}`;
    }
    if (v.generations && v.generations.length) {
      this.generationsCanvas.hidden = false;
      const now = Date.now();
      if (!this.paintedAt || now - this.paintedAt > 250 || FINAL.includes(v.status)) {
        this.paintedAt = now;
        if (this.generationsCleanup) this.generationsCleanup();
        this.generationsCleanup = drawGenerations(this.generationsCanvas, v.generations, objectiveLabel(this.op.objective));
      }
    }
    if (FINAL.includes(v.status) && !this.ended) {
      this.ended = true;
      const id = this.id;
      api.optimization(id).then((op) => { if (this.id === id) this.finished(op); }).catch((e) => showError(this.errorBox, e, 'Optimization'));
    }
  }

  async stop() {
    this.stopBtn.disabled = true;
    try {
      this.update(await api.stopOptimization(this.id));
    } catch (e) {
      showError(this.errorBox, e, 'Stopping');
    }
  }

  async finished(op) {
    const id = op.id;
    this.ended = true;
    if (this.unsubscribe) { this.unsubscribe(); this.unsubscribe = null; }
    if (this.poll) { clearInterval(this.poll); this.poll = null; }
    this.op = op;
    this.refreshRecent();
    if (op.status === 'failed') {
      this.resultsBox.replaceChildren();
      const err = op.error || { message: 'the optimization failed' };
      showError(this.errorBox, Object.assign(new Error(err.message), { code: err.code }), 'The optimization failed');
      return;
    }
    try {
      const results = await api.optimizationResults(id);
      if (this.id !== id) return;
      this.progressBox.replaceChildren();
      if (this.generationsCleanup) { this.generationsCleanup(); this.generationsCleanup = null; }
      this.results.render(results, op);
      this.resultsBox.dataset.loaded = id;
    } catch (e) {
      showError(this.errorBox, e, 'Loading the results');
    }
  }

  /** Runs one trial as a backtest (the optimization's strategy, data and account) and opens its report. */
  async openTrial(trial) {
    const req = this.op.request;
    const body = { data: req.data, params: Object.assign({}, req.params || {}, trial.params), name: `${this.op.name}: trial ${trial.trial}`, stateIntervalMs: 30 };
    if (req.code) body.code = req.code; else body.strategy = req.strategy;
    if (req.account) body.account = req.account;
    try {
      const run = await api.run(body);
      navigate(`#/backtest/${run.id}`);
    } catch (e) {
      showError(this.errorBox, e, `Opening trial ${trial.trial}`);
    }
  }
}
