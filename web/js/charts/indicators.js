// The indicator list of the price chart: "ema:12, macd:12,26,9, bbands:20,2, sma:50@high" read as
// specs for the server, which computes them natively (the values the strategy saw, equal to
// TA-Lib) beside the candles.

/** Parses "ema:12, macd:12,26,9, sma:20@high" into canonical spec texts ["ema:12", "macd:12,26,9", "sma:20@high"]. */
export function parseIndicatorList(text) {
  const out = [];
  for (const m of (text || '').matchAll(/([a-z]+)(?::\s*(-?[\d.]+(?:\s*,\s*-?[\d.]+)*))?(?:@([a-z0-9]+))?/gi)) {
    const args = m[2] ? m[2].split(',').map((a) => a.trim()) : [];
    const spec = m[1].toLowerCase() + (args.length ? `:${args.join(',')}` : '') + (m[3] ? `@${m[3].toLowerCase()}` : '');
    if (!out.includes(spec)) out.push(spec);
  }
  return out;
}

/** Reference levels of bounded oscillators, drawn as dotted lines in their pane. */
export const PANE_LEVELS = { rsi: [30, 70], stoch: [20, 80], cci: [-100, 100], adx: [25] };

/** A short label of one output: "MACD signal 12,26,9" from name macd, output macd_signal_12_26_9. */
export function outputLabel(ind, output) {
  const params = ind.spec.includes(':') ? ind.spec.slice(ind.spec.indexOf(':') + 1) : '';
  const part = output.split('_').filter((w) => !/^\d/.test(w) && w !== ind.name && !/^(open|high|low|hl2|hlc3|ohlc4)$/.test(w));
  const names = { bb: 'BB', stoch: 'Stoch', dc: 'DC', kc: 'KC' };
  const head = names[part[0]] || ind.name.toUpperCase();
  const rest = part.filter((w) => !names[w]).join(' ');
  return [head, rest, params].filter(Boolean).join(' ');
}
