// Number, percent, money, date and duration formatting for cards and tables.

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

export function num(v, digits = 2) {
  if (v === 'Infinity' || v === Infinity) return '∞';
  if (v === '-Infinity' || v === -Infinity) return '−∞';
  if (!isNum(v)) return 'n/a';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
export const int = (v) => (isNum(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');
export const pct = (v, digits = 2) => (isNum(v) ? `${num(v * 100, digits)}%` : num(v));
export const money = (v) => num(v, 2);

export function duration(ms) {
  if (!isNum(ms)) return 'n/a';
  const s = Math.floor(ms / 1000);
  const units = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  for (let i = 0; i < units.length; i++) {
    const [u, n] = units[i];
    if (s >= n || u === 's') {
      const a = Math.floor(s / n);
      const rest = s - a * n;
      const next = units[i + 1];
      const b = next ? Math.floor(rest / next[1]) : 0;
      return b ? `${a}${u} ${b}${next[0]}` : `${a}${u}`;
    }
  }
  return '0s';
}

/** ISO string or epoch (s or ms) to "2024-01-31 12:05" UTC. */
export function dateTime(v) {
  const d = toDate(v);
  return d ? d.toISOString().slice(0, 16).replace('T', ' ') : '';
}
export function toDate(v) {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return new Date(v > 1e11 ? v : v * 1000);
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}
/** Epoch seconds (UTC) of an ISO string / ms / s value. */
export function toSeconds(v) {
  const d = toDate(v);
  return d ? Math.floor(d.getTime() / 1000) : null;
}

export function signClass(v) {
  return isNum(v) ? (v > 0 ? 'pos' : v < 0 ? 'neg' : '') : '';
}
export { isNum };

/** A session or optimization id short enough for a list and still telling runs apart: "bt_3fa9c2d1..." -> "3fa9c2d1". */
export function shortId(id) {
  return String(id || '').replace(/^(bt|op)_/, '').slice(0, 8);
}
