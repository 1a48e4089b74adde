// Charts Lightweight Charts cannot draw, on a plain <canvas>: the histogram of trade returns, the
// monthly returns heatmap, hold time vs P&L, and winning / losing trades by hour of day.

export const C = { bg: '#11161d', axis: '#3a4654', text: '#a9b4c2', win: '#26a69a', loss: '#ef5350', bar: '#4da3ff', zero: '#6b7785' };
const FONT = '11px "DejaVu Sans", "Liberation Sans", sans-serif';

/** Sizes the canvas to its box (device pixels) and calls draw(ctx, width, height) now and on resize. */
export function mountCanvas(canvas, draw) {
  const paint = () => {
    const r = canvas.getBoundingClientRect();
    const w = Math.max(50, Math.floor(r.width)); const hgt = Math.max(50, Math.floor(r.height));
    const dpr = window.devicePixelRatio || 1;
    canvas.width = w * dpr; canvas.height = hgt * dpr;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = C.bg; ctx.fillRect(0, 0, w, hgt);
    ctx.font = FONT; ctx.textBaseline = 'middle';
    draw(ctx, w, hgt);
  };
  paint();
  let pending = false;
  const ro = new ResizeObserver(() => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; paint(); }); } });
  ro.observe(canvas);
  return () => ro.disconnect();
}

export function empty(ctx, w, hgt, text) {
  ctx.fillStyle = C.text; ctx.textAlign = 'center'; ctx.fillText(text, w / 2, hgt / 2);
}

/** Decimals that show every multiple of `step` exactly (2.5 -> 1, 0.05 -> 2, 10 -> 0). */
function decimalsOf(step) {
  for (let d = 0; d < 8; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9) return d;
  return 8;
}

const niceNum = (v, decimals) => (Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(Math.max(1, decimals - 3))}k` : v.toFixed(decimals));

/** A round step (1, 2, 2.5 or 5 times a power of ten; whole numbers for counts) giving about `count` intervals. */
export function niceStep(span, count, integer = false) {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = (integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).map((m) => m * power).find((x) => x >= raw * (1 - 1e-9));
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** The multiples of a round step inside [min, max]. */
export function niceTicks(min, max, count = 4, integer = false) {
  const step = niceStep(max - min, count, integer);
  const ticks = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return { ticks, decimals: decimalsOf(step) };
}

/** Axes with grid lines and labels at round values (`xInt` / `yInt`: whole numbers only). The
 * ticks drawn are left on the canvas (`data-x-ticks`, `data-y-ticks`) for tests and tools. */
export function axes(ctx, box, xMin, xMax, yMin, yMax, xLabel, yLabel, { xFmt = niceNum, yFmt = niceNum, xInt = false, yInt = false } = {}) {
  const { l, t, r, b } = box;
  ctx.strokeStyle = C.axis; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(l, t); ctx.lineTo(l, b); ctx.lineTo(r, b); ctx.stroke();
  ctx.fillStyle = C.text;
  ctx.textAlign = 'right';
  const ys = niceTicks(yMin, yMax, 4, yInt);
  for (const v of ys.ticks) {
    const y = b - ((b - t) * (v - yMin)) / (yMax - yMin);
    ctx.fillText(yFmt(v, ys.decimals), l - 4, y);
    ctx.strokeStyle = '#1e2630'; ctx.beginPath(); ctx.moveTo(l + 1, y); ctx.lineTo(r, y); ctx.stroke();
  }
  ctx.textAlign = 'center';
  const xs = niceTicks(xMin, xMax, 4, xInt);
  for (const v of xs.ticks) ctx.fillText(xFmt(v, xs.decimals), l + ((r - l) * (v - xMin)) / (xMax - xMin), b + 10);
  ctx.fillText(xLabel, (l + r) / 2, b + 24);
  ctx.save(); ctx.translate(10, (t + b) / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(yLabel, 0, 0); ctx.restore();
  ctx.canvas.dataset.xTicks = JSON.stringify(xs.ticks);
  ctx.canvas.dataset.yTicks = JSON.stringify(ys.ticks);
}

export const BOX = (w, hgt) => ({ l: 48, t: 10, r: w - 10, b: hgt - 32 });

/** Histogram of trade returns (percent). */
export function drawReturnsHistogram(canvas, returnsPct) {
  return mountCanvas(canvas, (ctx, w, hgt) => {
    if (!returnsPct.length) return empty(ctx, w, hgt, 'No closed trades');
    let lo = Math.min(...returnsPct); let hi = Math.max(...returnsPct);
    if (lo === hi) { lo -= 1; hi += 1; }
    const bins = Math.max(5, Math.min(40, Math.ceil(Math.sqrt(returnsPct.length) * 2)));
    const width = (hi - lo) / bins;
    const counts = new Array(bins).fill(0);
    for (const v of returnsPct) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
    const maxC = Math.max(...counts);
    const box = BOX(w, hgt);
    axes(ctx, box, lo, hi, 0, maxC, 'trade return %', 'trades', { yInt: true });
    const bw = (box.r - box.l) / bins;
    counts.forEach((c, i) => {
      const mid = lo + (i + 0.5) * width;
      const bh = ((box.b - box.t) * c) / maxC;
      ctx.fillStyle = mid >= 0 ? C.win : C.loss;
      ctx.fillRect(box.l + i * bw + 1, box.b - bh, Math.max(1, bw - 2), bh);
    });
    if (lo < 0 && hi > 0) {
      const x = box.l + ((0 - lo) / (hi - lo)) * (box.r - box.l);
      ctx.strokeStyle = C.zero; ctx.setLineDash([3, 3]); ctx.beginPath(); ctx.moveTo(x, box.t); ctx.lineTo(x, box.b); ctx.stroke(); ctx.setLineDash([]);
    }
  });
}

/** Monthly returns heatmap: rows are years, columns months, plus the year's compounded return. */
export function drawMonthlyHeatmap(canvas, months) {
  return mountCanvas(canvas, (ctx, w, hgt) => {
    if (!months.length) return empty(ctx, w, hgt, 'No monthly returns');
    const years = [...new Set(months.map((m) => m.year))].sort();
    const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Year'];
    const maxAbs = Math.max(0.0001, ...months.map((m) => Math.abs(m.return ?? 0)));
    const l = 44; const t = 18; const cw = (w - l - 6) / 13; const ch = Math.min(34, (hgt - t - 6) / years.length);
    ctx.textAlign = 'center'; ctx.fillStyle = C.text;
    names.forEach((n, i) => ctx.fillText(n, l + cw * (i + 0.5), 9));
    years.forEach((y, r) => {
      ctx.fillStyle = C.text; ctx.textAlign = 'right'; ctx.fillText(String(y), l - 6, t + ch * (r + 0.5));
      let yearProd = 1; let any = false;
      for (let m = 1; m <= 13; m++) {
        let v = null;
        if (m <= 12) {
          const e = months.find((x) => x.year === y && x.month === m);
          v = e ? e.return : null;
          if (v !== null && v !== undefined) { yearProd *= 1 + v; any = true; }
        } else v = any ? yearProd - 1 : null;
        const x = l + cw * (m - 1); const yy = t + ch * r;
        if (v === null || v === undefined) { ctx.fillStyle = '#161d26'; ctx.fillRect(x + 1, yy + 1, cw - 2, ch - 2); continue; }
        const a = Math.min(1, Math.abs(v) / maxAbs);
        ctx.fillStyle = v >= 0 ? `rgba(38,166,154,${0.2 + 0.8 * a})` : `rgba(239,83,80,${0.2 + 0.8 * a})`;
        ctx.fillRect(x + 1, yy + 1, cw - 2, ch - 2);
        ctx.fillStyle = '#e6edf3'; ctx.textAlign = 'center';
        ctx.fillText(`${(v * 100).toFixed(1)}%`, x + cw / 2, yy + ch / 2);
      }
    });
  });
}

/** Scatter of hold time (hours) against P&L, green for wins and red for losses. */
export function drawHoldScatter(canvas, points) {
  return mountCanvas(canvas, (ctx, w, hgt) => {
    if (!points.length) return empty(ctx, w, hgt, 'No closed trades');
    const xs = points.map((p) => p.x); const ys = points.map((p) => p.y);
    const xMax = Math.max(...xs, 0.01); let yMin = Math.min(...ys, 0); let yMax = Math.max(...ys, 0);
    if (yMin === yMax) { yMin -= 1; yMax += 1; }
    const box = BOX(w, hgt);
    axes(ctx, box, 0, xMax, yMin, yMax, 'hold time (hours)', 'P&L');
    const X = (v) => box.l + (v / xMax) * (box.r - box.l);
    const Y = (v) => box.b - ((v - yMin) / (yMax - yMin)) * (box.b - box.t);
    ctx.strokeStyle = C.zero; ctx.setLineDash([3, 3]); ctx.beginPath(); ctx.moveTo(box.l, Y(0)); ctx.lineTo(box.r, Y(0)); ctx.stroke(); ctx.setLineDash([]);
    for (const p of points) {
      ctx.fillStyle = p.y >= 0 ? 'rgba(38,166,154,0.75)' : 'rgba(239,83,80,0.75)';
      ctx.beginPath(); ctx.arc(X(p.x), Y(p.y), 3, 0, Math.PI * 2); ctx.fill();
    }
  });
}

/** Winning and losing trades by UTC hour of entry: wins above the axis, losses below. */
export function drawHourBars(canvas, wins, losses) {
  return mountCanvas(canvas, (ctx, w, hgt) => {
    const maxC = Math.max(1, ...wins, ...losses);
    if (!wins.some(Boolean) && !losses.some(Boolean)) return empty(ctx, w, hgt, 'No closed trades');
    const box = BOX(w, hgt);
    axes(ctx, box, 0, 24, -maxC, maxC, 'hour of entry (UTC)', 'losses / wins', { xInt: true, yInt: true, yFmt: (v) => String(Math.abs(v)) });
    const bw = (box.r - box.l) / 24; const mid = (box.t + box.b) / 2; const half = (box.b - box.t) / 2;
    for (let i = 0; i < 24; i++) {
      const hw = (half * wins[i]) / maxC; const hl = (half * losses[i]) / maxC;
      ctx.fillStyle = C.win; ctx.fillRect(box.l + i * bw + 1, mid - hw, bw - 2, hw);
      ctx.fillStyle = C.loss; ctx.fillRect(box.l + i * bw + 1, mid, bw - 2, hl);
    }
  });
}
