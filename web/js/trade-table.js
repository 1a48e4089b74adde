// The trade log: sortable by any column, paginated.

import { h, emptyState } from './dom.js';
import { num, pct, dateTime, signClass } from './format.js';

const COLUMNS = [
  ['run', 'Run', (v) => v ?? ''], ['side', 'Side', (v) => v], ['entryTime', 'Entry', dateTime], ['entryPrice', 'Entry price', (v) => num(v, 4)],
  ['exitTime', 'Exit', dateTime], ['exitPrice', 'Exit price', (v) => num(v, 4)], ['quantity', 'Qty', (v) => num(v, 4)],
  ['pnl', 'P&L', (v) => num(v)], ['pnlPercent', 'Return', (v) => pct(v)], ['fees', 'Fees', (v) => num(v)],
  ['barsHeld', 'Bars', (v) => v], ['exitReason', 'Exit reason', (v) => v],
];

export class TradeTable {
  constructor(root, trades, pageSize = 25) {
    this.root = root;
    this.trades = trades || [];
    this.pageSize = pageSize;
    this.page = 0;
    this.sortKey = 'entryTime';
    this.sortDir = 1;
    this.columns = COLUMNS.filter(([k]) => k !== 'run' || this.trades.some((t) => t.run !== undefined && t.run !== null));
    this.render();
  }

  sorted() {
    const k = this.sortKey; const d = this.sortDir;
    const val = (t) => (k.endsWith('Time') ? new Date(t[k]).getTime() : t[k]);
    return this.trades.slice().sort((a, b) => {
      const x = val(a); const y = val(b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * d;
    });
  }

  render() {
    if (!this.trades.length) {
      this.root.replaceChildren(emptyState('No trades', 'The strategy never entered a position on this data. Try another range, symbol or parameters.'));
      return;
    }
    const pages = Math.ceil(this.trades.length / this.pageSize);
    this.page = Math.min(this.page, pages - 1);
    const rows = this.sorted().slice(this.page * this.pageSize, (this.page + 1) * this.pageSize);
    const head = h('tr', null, this.columns.map(([k, label]) => h('th', {
      class: 'sortable', dataset: { key: k }, title: 'Sort',
      onclick: () => { if (this.sortKey === k) this.sortDir *= -1; else { this.sortKey = k; this.sortDir = 1; } this.render(); },
    }, label, this.sortKey === k ? (this.sortDir > 0 ? ' ▲' : ' ▼') : '')));
    const body = rows.map((t) => h('tr', { dataset: { testid: 'trade-row' } }, this.columns.map(([k, , f]) => h('td', { class: k === 'pnl' || k === 'pnlPercent' ? signClass(t[k]) : '' }, f(t[k])))));
    const nav = h('div.pager', null,
      h('button', { type: 'button', disabled: this.page === 0, onclick: () => { this.page--; this.render(); } }, '‹ Prev'),
      h('span', { dataset: { testid: 'trade-page' } }, ` Page ${this.page + 1} of ${pages} (${this.trades.length.toLocaleString('en-US')} trades) `),
      h('button', { type: 'button', disabled: this.page >= pages - 1, onclick: () => { this.page++; this.render(); } }, 'Next ›'));
    this.root.replaceChildren(h('div.table-wrap', null, h('table.data', { dataset: { testid: 'trade-table' } }, h('thead', null, head), h('tbody', null, body))), nav);
  }
}
