// Shared Lightweight Charts (v4.1 API) helpers: chart options, series data that is strictly
// increasing in time, timeframe arithmetic.

export const COLORS = {
  bg: '#11161d', text: '#a9b4c2', grid: '#1e2630', up: '#26a69a', down: '#ef5350',
  equity: '#4da3ff', average: '#ffd166', baseline: '#9aa4b1', drawdown: '#ef5350',
  palette: ['#4da3ff', '#c77dff', '#2ec4b6', '#ff9f1c', '#e71d36', '#8ac926', '#ff70a6', '#70d6ff', '#f4d35e', '#9b5de5'],
};

export function chartOptions(extra = {}) {
  return Object.assign({
    autoSize: true,
    layout: { background: { type: 'solid', color: COLORS.bg }, textColor: COLORS.text, fontSize: 11 },
    grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
    rightPriceScale: { borderColor: COLORS.grid },
    crosshair: { mode: 0 },
  }, extra, {
    // Bars may be thinner than a pixel (the default minimum is 0.5 px), so the whole run fits in
    // the width and zooming out always reaches the first bar. Fixed edges keep the run's ends at
    // the chart's edges and move the labels there inside the chart (they would be clipped).
    timeScale: Object.assign({ borderColor: COLORS.grid, timeVisible: true, secondsVisible: false, minBarSpacing: 0.001, fixLeftEdge: true, fixRightEdge: true }, extra.timeScale),
  });
}

/** Shows every point: now, and again once autoSize has given the chart its real width. */
export function fitWhole(chart) {
  const fit = () => { try { chart.timeScale().fitContent(); } catch (e) { /* removed meanwhile */ } };
  fit();
  requestAnimationFrame(() => { fit(); requestAnimationFrame(fit); });
}

/** [{time, value}] from parallel arrays, skipping nulls and any time not above the previous one. */
export function lineData(times, values, scale = 1, offset = 0) {
  const out = [];
  let last = -Infinity;
  if (!times || !values) return out;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] - offset;
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v) || !(t > last)) continue;
    out.push({ time: t, value: v * scale });
    last = t;
  }
  return out;
}

/** Seconds per bar of '1m', '15m', '1h', '4h', '1d', '1w'. */
export function timeframeSeconds(tf) {
  const m = /^(\d+)\s*([smhdw])$/i.exec(tf || '');
  if (!m) return 60;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2].toLowerCase()];
}

/** Index of the last element of the sorted array `times` that is <= t (-1 if none). */
export function floorIndex(times, t) {
  let lo = 0; let hi = times.length - 1; let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) { ans = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return ans;
}

export function elapsedLabel(sec) {
  const d = Math.floor(sec / 86400); const hh = Math.floor((sec % 86400) / 3600); const mm = Math.floor((sec % 3600) / 60);
  if (d) return `+${d}d${hh ? ` ${hh}h` : ''}`;
  if (hh) return `+${hh}h${mm ? ` ${mm}m` : ''}`;
  return `+${mm}m`;
}
