// Price-overlay indicators computed in the browser on the candles shown (full resolution only):
// sma, ema, wma, bbands, donchian, vwap. Values are null during the warm-up.

function sma(x, n) {
  const out = new Array(x.length).fill(null);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i];
    if (i >= n) s -= x[i - n];
    if (i >= n - 1) out[i] = s / n;
  }
  return out;
}
function ema(x, n) {
  const out = new Array(x.length).fill(null);
  if (x.length < n) return out;
  const k = 2 / (n + 1);
  let e = 0;
  for (let i = 0; i < n; i++) e += x[i];
  e /= n; out[n - 1] = e;
  for (let i = n; i < x.length; i++) { e = x[i] * k + e * (1 - k); out[i] = e; }
  return out;
}
function wma(x, n) {
  const out = new Array(x.length).fill(null);
  const denom = (n * (n + 1)) / 2;
  for (let i = n - 1; i < x.length; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += x[i - j] * (n - j);
    out[i] = s / denom;
  }
  return out;
}
function stdev(x, n, mean) {
  const out = new Array(x.length).fill(null);
  for (let i = n - 1; i < x.length; i++) {
    let s = 0;
    for (let j = i - n + 1; j <= i; j++) s += (x[j] - mean[i]) ** 2;
    out[i] = Math.sqrt(s / n);
  }
  return out;
}

/** Parses "ema:12, sma:50, bbands:20,2" into [{name, args}]. */
export function parseOverlaySpec(text) {
  const out = [];
  for (const m of (text || '').matchAll(/([a-z]+)(?::([\d.]+(?:,[\d.]+)*))?/gi)) {
    out.push({ name: m[1].toLowerCase(), args: m[2] ? m[2].split(',').map(Number) : [] });
  }
  return out;
}

export const OVERLAY_NAMES = ['sma', 'ema', 'wma', 'hma', 'bbands', 'donchian', 'keltner', 'vwap'];

/** [{label, values}] lines for one overlay over candles {time, high, low, close, volume}. */
export function computeOverlay(spec, c) {
  const close = c.close;
  const p = spec.args[0] || 20;
  switch (spec.name) {
    case 'sma': return [{ label: `SMA ${p}`, values: sma(close, p) }];
    case 'ema': case 'keltner': return [{ label: `EMA ${p}`, values: ema(close, p) }];
    case 'wma': case 'hma': return [{ label: `WMA ${p}`, values: wma(close, p) }];
    case 'bbands': {
      const k = spec.args[1] ?? 2;
      const mid = sma(close, p); const sd = stdev(close, p, mid);
      return [
        { label: `BB ${p},${k} upper`, values: mid.map((m, i) => (m === null ? null : m + k * sd[i])) },
        { label: `BB ${p},${k} middle`, values: mid },
        { label: `BB ${p},${k} lower`, values: mid.map((m, i) => (m === null ? null : m - k * sd[i])) },
      ];
    }
    case 'donchian': {
      const up = new Array(close.length).fill(null); const lo = new Array(close.length).fill(null);
      for (let i = p - 1; i < close.length; i++) {
        let a = -Infinity; let b = Infinity;
        for (let j = i - p + 1; j <= i; j++) { a = Math.max(a, c.high[j]); b = Math.min(b, c.low[j]); }
        up[i] = a; lo[i] = b;
      }
      return [{ label: `DC ${p} upper`, values: up }, { label: `DC ${p} lower`, values: lo }];
    }
    case 'vwap': {
      const out = new Array(close.length).fill(null);
      let day = null; let pv = 0; let vol = 0;
      for (let i = 0; i < close.length; i++) {
        const d = Math.floor(c.time[i] / 86400);
        if (d !== day) { day = d; pv = 0; vol = 0; }
        const tp = (c.high[i] + c.low[i] + close[i]) / 3;
        pv += tp * (c.volume ? c.volume[i] : 0); vol += c.volume ? c.volume[i] : 0;
        out[i] = vol > 0 ? pv / vol : tp;
      }
      return [{ label: 'VWAP', values: out }];
    }
    default: return [];
  }
}

/** Default overlays for a strategy: its price-type @indicators with periods read from its params. */
export function defaultOverlays(indicators, params) {
  const specs = [];
  const p = params || {};
  const periodKeys = Object.keys(p).filter((k) => /period|length|lookback|window/i.test(k));
  for (const ind of indicators || []) {
    if (!OVERLAY_NAMES.includes(ind)) continue;
    if (['sma', 'ema', 'wma', 'hma'].includes(ind) && (p.fast || p.slow)) {
      if (p.fast) specs.push(`${ind}:${p.fast}`);
      if (p.slow) specs.push(`${ind}:${p.slow}`);
    } else if (ind === 'vwap') specs.push('vwap');
    else specs.push(periodKeys.length ? `${ind}:${p[periodKeys[0]]}` : ind);
  }
  return specs.join(', ');
}
