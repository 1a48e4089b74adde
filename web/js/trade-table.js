// The trade log: sortable by any column, paginated. Results carry the first trades of a run; the
// rest come page by page from GET /api/backtest/:id/trades (all of them once a sort needs them).

import { h, emptyState } from './dom.js';
import { num, pct, dateTime, signClass } from './format.js';

const COLUMNS = [
  ['run', 'Run', (v) => v ?? ''], ['side', 'Side', (v) => v], ['entryTime', 'Entry', dateTime], ['entryPrice', 'Entry price', (v) => num(v, 4)],
  ['exitTime', 'Exit', dateTime], ['exitPrice', 'Exit price', (v) => num(v, 4)], ['quantity', 'Qty', (v) => num(v, 4)],
  ['pnl', 'P&L', (v) => num(v)], ['pnlPercent', 'Return', (v) => pct(v)], ['fees', 'Fees', (v) => num(v)],
  ['mfe', 'MFE', (v) => pct(v)], ['mae', 'MAE', (v) => pct(v)],
  ['barsHeld', 'Bars', (v) => v], ['exitReason', 'Exit reason', (v) => v],
];
const FETCH_LIMIT = 100000;

export class TradeTable {
  /** source: {trades (the first ones), total, fetch(offset, limit) -> {trades}, onSelect(trade) (a row click)}. */
  constructor(root, source, pageSize = 25) {
    this.root = root;
    this.total = source.total ?? (source.trades || []).length;
    this.fetch = source.fetch;
    this.onSelect = source.onSelect;
    this.rows = new Array(this.total);           // in run order; holes until fetched
    (source.trades || []).forEach((t, i) => { this.rows[i] = t; });
    this.pageSize = pageSize;
    this.page = 0;
    this.sortKey = null;
    this.sortDir = 1;
    const sample = source.trades || [];
    this.columns = COLUMNS.filter(([k]) => k !== 'run' || sample.some((t) => t.run !== undefined && t.run !== 1));
    this.render();
  }

  loaded(from, to) {
    for (let i = from; i < to; i++) if (!this.rows[i]) return false;
    return true;
  }

  async ensure(from, to) {
    if (this.loaded(from, to) || !this.fetch) return;
    for (let offset = from; offset < to; offset += FETCH_LIMIT) {
      const page = await this.fetch(offset, Math.min(FETCH_LIMIT, to - offset));
      (page.trades || []).forEach((t, i) => { this.rows[offset + i] = t; });
    }
  }

  sorted() {
    const rows = this.rows;
    if (!this.sortKey) return rows;
    const k = this.sortKey; const d = this.sortDir;
    const val = (t) => (k.endsWith('Time') ? new Date(t[k]).getTime() : t[k]);
    return rows.slice().sort((a, b) => {
      const x = val(a); const y = val(b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * d;
    });
  }

  async go(page) {
    this.page = page;
    const from = page * this.pageSize;
    await this.ensure(this.sortKey ? 0 : from, this.sortKey ? this.total : Math.min(this.total, from + this.pageSize));
    this.render();
  }

  async sortBy(k) {
    if (this.sortKey === k) this.sortDir *= -1; else { this.sortKey = k; this.sortDir = 1; }
    await this.ensure(0, this.total);
    this.render();
  }

  render() {
    if (!this.total) {
      this.root.replaceChildren(emptyState('No trades', 'The strategy never entered a position on this data. Try another range, symbol or parameters.'));
      return;
    }
    const pages = Math.ceil(this.total / this.pageSize);
    this.page = Math.min(this.page, pages - 1);
    const rows = this.sorted().slice(this.page * this.pageSize, (this.page + 1) * this.pageSize).filter(Boolean);
    const head = h('tr', null, this.columns.map(([k, label]) => h('th', {
      class: 'sortable', dataset: { key: k }, title: 'Sort', onclick: () => this.sortBy(k),
    }, label, this.sortKey === k ? (this.sortDir > 0 ? ' ▲' : ' ▼') : '')));
    const select = this.onSelect;
    const body = rows.map((t) => h(select ? 'tr.clickable' : 'tr', { dataset: { testid: 'trade-row' }, title: select ? 'Show this trade on the price chart' : null, onclick: select ? () => select(t) : null }, this.columns.map(([k, , f]) => h('td', { class: k === 'pnl' || k === 'pnlPercent' ? signClass(t[k]) : '' }, f(t[k])))));
    const nav = h('div.pager', null,
      h('button', { type: 'button', disabled: this.page === 0, dataset: { testid: 'trade-prev' }, onclick: () => this.go(this.page - 1) }, '‹ Prev'),
      h('span', { dataset: { testid: 'trade-page' } }, ` Page ${this.page + 1} of ${pages} (${this.total.toLocaleString('en-US')} trades) `),
      h('button', { type: 'button', disabled: this.page >= pages - 1, dataset: { testid: 'trade-next' }, onclick: () => this.go(this.page + 1) }, 'Next ›'));
    this.root.replaceChildren(h('div.table-wrap', null, h('table.data', { dataset: { testid: 'trade-table' } }, h('thead', null, head), h('tbody', null, body))), nav);
  }
}
