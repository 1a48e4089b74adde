// Runs history (kept by the server across restarts): search, delete (one or the ticked ones),
// and two runs side by side (compare-view.js).
// Routes: #/runs, #/runs/compare/A/B.

import { api } from './api.js';
import { h, showError, emptyState } from './dom.js';
import { pct, dateTime, signClass, int, shortId } from './format.js';
import { headline } from './stats.js';
import { CompareView } from './compare-view.js';
import { navigate } from './router.js';
import { confirmDialog } from './modal.js';

/** The data range of a session, from its summary when it has one. */
function range(s) {
  const d = s.summary && s.summary.data;
  return d && d.from ? h('div.hint', null, `${dateTime(d.from)} → ${dateTime(d.to)}`) : null;
}

export class RunsView {
  constructor(root) {
    this.root = root;
    this.selected = new Set();
    this.errorBox = h('div.error-box', { hidden: true, dataset: { testid: 'runs-error' } });
    this.filter = h('select', { dataset: { testid: 'runs-filter' }, onchange: () => this.refresh() },
      ['', 'running', 'paused', 'queued', 'completed', 'stopped', 'failed'].map((s) => h('option', { value: s }, s || 'all statuses')));
    this.compareBtn = h('button.primary', { type: 'button', disabled: true, dataset: { testid: 'btn-compare' }, onclick: () => { const [a, b] = [...this.selected]; navigate(`#/runs/compare/${a}/${b}`); } }, 'Compare selected');
    this.deleteBtn = h('button', { type: 'button', disabled: true, dataset: { testid: 'btn-delete-selected' }, onclick: () => this.removeSelected() }, 'Delete selected');
    this.search = h('input', { type: 'search', placeholder: 'Search name, strategy, symbol, id', size: 30, dataset: { testid: 'runs-search' }, oninput: () => this.render(this.sessions || []) });
    this.tableBox = h('div.table-wrap', { dataset: { testid: 'runs-table' } });
    this.compareBox = h('div.compare', { dataset: { testid: 'compare' } });
    this.comparison = new CompareView(this.compareBox);
    this.listSection = h('div', null,
      h('div.toolbar', null, h('h2', null, 'Runs'), this.filter, this.search, h('button', { type: 'button', onclick: () => this.refresh() }, 'Refresh'), h('span.spacer'),
        h('span.hint', null, 'Tick two runs to compare them.'), this.compareBtn, this.deleteBtn),
      this.tableBox);
    this.root.replaceChildren(this.errorBox, this.listSection, this.compareBox);
  }

  async show(args) {
    showError(this.errorBox, null);
    if (args[0] === 'compare' && args[1] && args[2]) {
      this.listSection.hidden = true;
      this.compareBox.hidden = false;
      await this.comparison.show(args[1], args[2]);
    } else {
      this.listSection.hidden = false;
      this.compareBox.hidden = true;
      await this.refresh();
    }
  }

  async refresh() {
    try {
      const { sessions } = await api.sessions({ status: this.filter.value, limit: 200 });
      this.sessions = sessions;
      this.render(sessions);
    } catch (e) {
      showError(this.errorBox, e, 'Loading runs');
    }
  }

  /** The sessions the search box matches (every word, in name, strategy, symbol, timeframe or id). */
  matching(sessions) {
    const words = this.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return sessions;
    return sessions.filter((s) => {
      const text = [s.name, s.strategy, s.symbol, s.timeframe, s.id].filter(Boolean).join(' ').toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }

  render(all) {
    // Only runs in view stay selected: a bulk delete never touches a run the search hides.
    const sessions = this.matching(all);
    this.selected = new Set([...this.selected].filter((id) => sessions.some((s) => s.id === id)));
    this.updateCompare();
    if (!all.length) {
      this.tableBox.replaceChildren(emptyState('No runs yet', 'Run a backtest from the Backtest view (or "Run backtest" in the editor); it will be listed here.'));
      return;
    }
    if (!sessions.length) {
      this.tableBox.replaceChildren(emptyState('No run matches', `None of ${all.length} runs matches "${this.search.value}".`));
      return;
    }
    const rows = sessions.map((s) => {
      const sum = headline(s.summary);
      const ret = sum.totalReturn ?? sum.meanReturn;
      const box = h('input', { type: 'checkbox', checked: this.selected.has(s.id), dataset: { testid: 'run-select' }, onchange: (e) => { if (e.target.checked) this.selected.add(s.id); else this.selected.delete(s.id); this.updateCompare(); } });
      return h('tr', { dataset: { testid: 'run-row', id: s.id } },
        h('td', null, box),
        h('td', null, h('a', { href: `#/backtest/${s.id}` }, s.name || `run ${shortId(s.id)}`), h('div.hint', null, shortId(s.id))),
        h('td', null, s.strategy), h('td', null, `${s.symbol || ''} ${s.timeframe || ''}`, range(s)),
        h('td', null, h('span', { class: `badge ${s.status}` }, s.status), s.status === 'running' || s.status === 'paused' ? ` ${Math.round(s.progressPercent || 0)}%` : '',
          s.error ? h('div.fail-reason', { dataset: { testid: 'run-error' }, title: s.error.message }, s.error.message) : null),
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
    this.deleteBtn.disabled = this.selected.size === 0;
    this.deleteBtn.textContent = this.selected.size > 1 ? `Delete ${this.selected.size} selected` : 'Delete selected';
  }

  async removeSelected() {
    const ids = [...this.selected];
    if (!ids.length || !(await confirmDialog('Delete runs', `Delete ${ids.length} run${ids.length > 1 ? 's' : ''}? Their results and artifacts are removed.`, 'Delete'))) return;
    const failed = [];
    for (const id of ids) {
      try { await api.deleteRun(id); this.selected.delete(id); } catch (e) { failed.push(`${shortId(id)}: ${e.message}`); }
    }
    if (failed.length) showError(this.errorBox, new Error(failed.join('; ')), 'Deleting runs');
    await this.refresh();
  }

  async remove(s) {
    if (!(await confirmDialog('Delete run', `Delete run ${s.name || s.id}? Its results and artifacts are removed.`, 'Delete'))) return;
    try { await api.deleteRun(s.id); this.selected.delete(s.id); await this.refresh(); } catch (e) { showError(this.errorBox, e, 'Deleting the run'); }
  }
}
