// Runs history (kept by the server across restarts) and two runs side by side.
// Routes: #/runs, #/runs/compare/A/B.

import { api } from './api.js';
import { h, showError, emptyState } from './dom.js';
import { pct, dateTime, signClass, int } from './format.js';
import { ResultsView, RESULT_POINTS } from './results-view.js';
import { headline, CARDS } from './stats.js';
import { navigate } from './router.js';
import { confirmDialog } from './modal.js';

export class RunsView {
  constructor(root) {
    this.root = root;
    this.selected = new Set();
    this.errorBox = h('div.error-box', { hidden: true, dataset: { testid: 'runs-error' } });
    this.filter = h('select', { dataset: { testid: 'runs-filter' }, onchange: () => this.refresh() },
      ['', 'running', 'paused', 'queued', 'completed', 'stopped', 'failed'].map((s) => h('option', { value: s }, s || 'all statuses')));
    this.compareBtn = h('button.primary', { type: 'button', disabled: true, dataset: { testid: 'btn-compare' }, onclick: () => { const [a, b] = [...this.selected]; navigate(`#/runs/compare/${a}/${b}`); } }, 'Compare selected');
    this.tableBox = h('div.table-wrap', { dataset: { testid: 'runs-table' } });
    this.compareBox = h('div.compare', { dataset: { testid: 'compare' } });
    this.listSection = h('div', null,
      h('div.toolbar', null, h('h2', null, 'Runs'), this.filter, h('button', { type: 'button', onclick: () => this.refresh() }, 'Refresh'), h('span.spacer'),
        h('span.hint', null, 'Tick two runs to compare them.'), this.compareBtn),
      this.tableBox);
    this.root.replaceChildren(this.errorBox, this.listSection, this.compareBox);
  }

  async show(args) {
    showError(this.errorBox, null);
    if (args[0] === 'compare' && args[1] && args[2]) {
      this.listSection.hidden = true;
      this.compareBox.hidden = false;
      await this.compare(args[1], args[2]);
    } else {
      this.listSection.hidden = false;
      this.compareBox.hidden = true;
      await this.refresh();
    }
  }

  async refresh() {
    try {
      const { sessions } = await api.sessions({ status: this.filter.value, limit: 200 });
      this.render(sessions);
    } catch (e) {
      showError(this.errorBox, e, 'Loading runs');
    }
  }

  render(sessions) {
    this.selected = new Set([...this.selected].filter((id) => sessions.some((s) => s.id === id)));
    this.updateCompare();
    if (!sessions.length) {
      this.tableBox.replaceChildren(emptyState('No runs yet', 'Run a backtest from the Backtest view (or "Run backtest" in the editor); it will be listed here.'));
      return;
    }
    const rows = sessions.map((s) => {
      const sum = headline(s.summary);
      const ret = sum.totalReturn ?? sum.meanReturn;
      const box = h('input', { type: 'checkbox', checked: this.selected.has(s.id), dataset: { testid: 'run-select' }, onchange: (e) => { if (e.target.checked) this.selected.add(s.id); else this.selected.delete(s.id); this.updateCompare(); } });
      return h('tr', { dataset: { testid: 'run-row', id: s.id } },
        h('td', null, box),
        h('td', null, h('a', { href: `#/backtest/${s.id}` }, s.name || s.id.slice(0, 8))),
        h('td', null, s.strategy), h('td', null, `${s.symbol || ''} ${s.timeframe || ''}`),
        h('td', null, h('span', { class: `badge ${s.status}` }, s.status), s.status === 'running' || s.status === 'paused' ? ` ${Math.round(s.progressPercent || 0)}%` : ''),
        h('td', null, dateTime(s.createdAt)),
        h('td', { class: signClass(ret) }, ret === undefined ? '' : pct(ret)),
        h('td', null, sum.tradeCount !== undefined ? int(sum.tradeCount) : sum.totalTrades !== undefined ? int(sum.totalTrades) : ''),
        h('td', null, h('button.link', { type: 'button', title: 'Delete run', dataset: { testid: 'run-delete' }, onclick: () => this.remove(s) }, 'Delete')));
    });
    this.tableBox.replaceChildren(h('table.data', null,
      h('thead', null, h('tr', null, ['', 'Name', 'Strategy', 'Data', 'Status', 'Created', 'Return', 'Trades', ''].map((t) => h('th', null, t)))),
      h('tbody', null, rows)));
  }

  updateCompare() {
    this.compareBtn.disabled = this.selected.size !== 2;
  }

  async remove(s) {
    if (!(await confirmDialog('Delete run', `Delete run ${s.name || s.id}? Its results and artifacts are removed.`, 'Delete'))) return;
    try { await api.deleteRun(s.id); this.selected.delete(s.id); await this.refresh(); } catch (e) { showError(this.errorBox, e, 'Deleting the run'); }
  }

  async compare(a, b) {
    const cols = [a, b].map((id) => ({ id, box: h('div.compare-col', { dataset: { testid: 'compare-col' } }) }));
    const diff = h('div', { dataset: { testid: 'compare-diff' } });
    this.compareBox.replaceChildren(h('div.toolbar', null, h('a', { href: '#/runs' }, '‹ All runs'), h('h2', null, 'Compare runs')), diff,
      h('div.compare-grid', null, cols.map((c) => c.box)));
    const results = await Promise.all(cols.map(async (c) => {
      try { return await api.results(c.id, RESULT_POINTS); } catch (e) { const box = h('div.error-box'); c.box.append(box); showError(box, e, `Run ${c.id}`); return null; }
    }));
    if (results[0] && results[1]) diff.replaceChildren(this.diffTable(results));
    for (let i = 0; i < 2; i++) {
      if (!results[i]) continue;
      if (this.views && this.views[i]) this.views[i].dispose();
      const view = new ResultsView(cols[i].box);
      (this.views ||= [])[i] = view;
      await view.render(results[i], { compact: true });
    }
  }

  diffTable([ra, rb]) {
    const sa = headline(ra); const sb = headline(rb);
    const rows = [];
    for (const [key, label, fmt] of CARDS) {
      if (!(key in sa) && !(key in sb)) continue;
      const x = sa[key]; const y = sb[key];
      const d = typeof x === 'number' && typeof y === 'number' ? y - x : null;
      rows.push(h('tr', null, h('td', null, label), h('td', null, fmt(x)), h('td', null, fmt(y)), h('td', { class: signClass(d) }, d === null ? '' : fmt(d))));
    }
    return h('table.data.compact', null, h('thead', null, h('tr', null, h('th', null, ''), h('th', null, `A: ${ra.strategy}`), h('th', null, `B: ${rb.strategy}`), h('th', null, 'B − A'))), h('tbody', null, rows));
  }
}
