// The optimization's charts on plain canvases: the heatmap of the objective over two parameters
// (hover for values, click a cell), best and mean objective per genetic generation, the
// walk-forward folds on the time axis, the Monte Carlo fan of equity over trades and the
// histogram of final equity.

import { C, mountCanvas, empty, axes, BOX } from './canvas-charts.js';

const WARN = '#ffd166';
const BAND = 'rgba(77,163,255,0.18)';
const BAND_INNER = 'rgba(77,163,255,0.35)';
const IS_COLOR = '#4da3ff';
const OOS_COLOR = '#ff9f1c';

const fmt = (v) => (Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(1)}k` : Number(v.toPrecision(4)).toString());

/** Red (worst) through grey to green (best) for a share in [0, 1]. */
export function heatColor(share) {
  const s = Math.min(1, Math.max(0, share));
  const from = s < 0.5 ? [239, 83, 80] : [60, 70, 82];
  const to = s < 0.5 ? [60, 70, 82] : [38, 166, 154];
  const k = s < 0.5 ? s * 2 : (s - 0.5) * 2;
  return `rgb(${from.map((c, i) => Math.round(c + (to[i] - c) * k)).join(',')})`;
}

/** The heatmap of `cells` ({x, y, trial}: the best trial of each (x, y)) over the values `xs` and
 * `ys`. `onHover(cell | null, event)` and `onClick(cell)` get the cell under the mouse. The cells
 * drawn are left on the canvas (`data-cells`: [{x, y, left, top, width, height, trial}]). */
export function drawHeatmap(canvas, { xName, yName, xs, ys, cells }, { onHover, onClick } = {}) {
  let placed = [];
  const at = (ev) => {
    const r = canvas.getBoundingClientRect();
    const px = ev.clientX - r.left; const py = ev.clientY - r.top;
    return placed.find((c) => px >= c.left && px < c.left + c.width && py >= c.top && py < c.top + c.height) || null;
  };
  canvas.onmousemove = (ev) => { const c = at(ev); canvas.style.cursor = c ? 'pointer' : 'default'; if (onHover) onHover(c, ev); };
  canvas.onmouseleave = () => { if (onHover) onHover(null); };
  canvas.onclick = (ev) => { const c = at(ev); if (c && onClick) onClick(c); };
  return mountCanvas(canvas, (ctx, w, hgt) => {
    placed = [];
    if (!cells.length) return empty(ctx, w, hgt, 'No trial counts: every one failed or missed the filter');
    const objectives = cells.map((c) => c.trial.objective).filter(Number.isFinite);
    const lo = Math.min(...objectives); const hi = Math.max(...objectives);
    const l = 58; const t = 8; const r = w - 8; const b = hgt - 38;
    const cw = (r - l) / xs.length; const ch = (b - t) / ys.length;
    const byKey = new Map(cells.map((c) => [`${c.x}|${c.y}`, c]));
    ctx.textAlign = 'center';
    ys.forEach((y, j) => {
      xs.forEach((x, i) => {
        const cell = byKey.get(`${x}|${y}`);
        const left = l + i * cw; const top = b - (j + 1) * ch;   // the smallest y at the bottom
        if (!cell) { ctx.fillStyle = '#161d26'; ctx.fillRect(left + 1, top + 1, cw - 2, ch - 2); return; }
        const o = cell.trial.objective;
        ctx.fillStyle = Number.isFinite(o) ? heatColor(hi > lo ? (o - lo) / (hi - lo) : 1) : '#262c34';
        ctx.fillRect(left + 1, top + 1, Math.max(1, cw - 2), Math.max(1, ch - 2));
        if (cell.best) { ctx.strokeStyle = WARN; ctx.lineWidth = 2; ctx.strokeRect(left + 2, top + 2, cw - 4, ch - 4); ctx.lineWidth = 1; }
        if (cw > 34 && ch > 14 && Number.isFinite(o)) { ctx.fillStyle = '#e6edf3'; ctx.fillText(fmt(o), left + cw / 2, top + ch / 2); }
        placed.push({ x, y, left, top, width: cw, height: ch, trial: cell.trial });
      });
    });
    ctx.fillStyle = C.text;
    const every = (n, size) => Math.max(1, Math.ceil(n / Math.max(1, Math.floor(size))));
    const xEvery = every(xs.length, (r - l) / 36); const yEvery = every(ys.length, (b - t) / 16);
    xs.forEach((x, i) => { if (i % xEvery === 0) ctx.fillText(fmt(x), l + (i + 0.5) * cw, b + 10); });
    ctx.textAlign = 'right';
    ys.forEach((y, j) => { if (j % yEvery === 0) ctx.fillText(fmt(y), l - 6, b - (j + 0.5) * ch); });
    ctx.textAlign = 'center';
    ctx.fillText(xName, (l + r) / 2, b + 26);
    ctx.save(); ctx.translate(12, (t + b) / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(yName, 0, 0); ctx.restore();
    canvas.dataset.cells = JSON.stringify(placed.map((c) => ({ x: c.x, y: c.y, left: c.left, top: c.top, width: c.width, height: c.height, trial: c.trial.trial })));
  });
}

function line(ctx, box, points, xMin, xMax, yMin, yMax, color, dash = []) {
  const X = (v) => box.l + ((box.r - box.l) * (v - xMin)) / (xMax - xMin || 1);
  const Y = (v) => box.b - ((box.b - box.t) * (v - yMin)) / (yMax - yMin || 1);
  ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.setLineDash(dash); ctx.beginPath();
  let started = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(y)) { started = false; continue; }
    if (started) ctx.lineTo(X(x), Y(y)); else { ctx.moveTo(X(x), Y(y)); started = true; }
  }
  ctx.stroke(); ctx.setLineDash([]); ctx.lineWidth = 1;
}

function legend(ctx, box, items) {
  let x = box.l + 8;
  ctx.textAlign = 'left';
  for (const [label, color] of items) {
    ctx.fillStyle = color; ctx.fillRect(x, box.t + 4, 10, 3);
    ctx.fillStyle = C.text; ctx.fillText(label, x + 14, box.t + 6);
    x += 22 + ctx.measureText(label).width;
  }
}

/** Best objective so far and mean objective of each genetic generation. */
export function drawGenerations(canvas, generations, objective) {
  canvas.dataset.generations = String(generations.length);
  return mountCanvas(canvas, (ctx, w, hgt) => {
    const values = generations.flatMap((g) => [g.best, g.mean]).filter(Number.isFinite);
    if (!values.length) return empty(ctx, w, hgt, 'Waiting for the first generation');
    let lo = Math.min(...values); let hi = Math.max(...values);
    if (lo === hi) { lo -= 1; hi += 1; }
    const n = Math.max(2, generations.length);
    const box = BOX(w, hgt);
    axes(ctx, box, 1, n, lo, hi, 'generation', objective, { xInt: true });
    line(ctx, box, generations.map((g) => [g.generation, g.mean]), 1, n, lo, hi, C.zero, [4, 3]);
    line(ctx, box, generations.map((g) => [g.generation, g.best]), 1, n, lo, hi, C.win);
    legend(ctx, box, [['best so far', C.win], ['generation mean', C.zero]]);
  });
}

/** The folds on the time axis: each one's in-sample span, then its out-of-sample span. */
export function drawWalkForward(canvas, windows) {
  return mountCanvas(canvas, (ctx, w, hgt) => {
    if (!windows.length) return empty(ctx, w, hgt, 'No folds');
    const t0 = Math.min(...windows.map((f) => f.inSample.start)); const t1 = Math.max(...windows.map((f) => f.outOfSample.end));
    const l = 58; const r = w - 10; const t = 22; const b = hgt - 22;
    const rowH = (b - t) / windows.length;
    const X = (v) => l + ((r - l) * (v - t0)) / (t1 - t0 || 1);
    ctx.textAlign = 'right'; ctx.fillStyle = C.text;
    windows.forEach((f, k) => {
      const y = t + k * rowH + rowH * 0.2; const hh = rowH * 0.6;
      ctx.fillStyle = IS_COLOR; ctx.fillRect(X(f.inSample.start), y, Math.max(1, X(f.inSample.end) - X(f.inSample.start)), hh);
      ctx.fillStyle = OOS_COLOR; ctx.fillRect(X(f.outOfSample.start), y, Math.max(1, X(f.outOfSample.end) - X(f.outOfSample.start)), hh);
      ctx.fillStyle = C.text; ctx.fillText(`fold ${f.fold}`, l - 6, y + hh / 2);
    });
    ctx.textAlign = 'left'; ctx.fillText(new Date(t0).toISOString().slice(0, 10), l, b + 12);
    ctx.textAlign = 'right'; ctx.fillText(new Date(t1).toISOString().slice(0, 10), r, b + 12);
    legend(ctx, { l: l - 8, t: 2 }, [['in sample (search)', IS_COLOR], ['out of sample (test)', OOS_COLOR]]);
  });
}

/** The 5-95 and 25-75 percentile bands and the median of equity after each trade. */
export function drawFan(canvas, fan, initial) {
  return mountCanvas(canvas, (ctx, w, hgt) => {
    if (!fan || !fan.trades || !fan.trades.length) return empty(ctx, w, hgt, 'No trades to resample');
    const xs = [0, ...fan.trades];
    const series = Object.fromEntries(['p5', 'p25', 'p50', 'p75', 'p95'].map((k) => [k, [initial, ...fan[k]]]));
    const all = [...series.p5, ...series.p95, initial];
    let lo = Math.min(...all); let hi = Math.max(...all);
    if (lo === hi) { lo -= 1; hi += 1; }
    const box = BOX(w, hgt);
    const xMax = Math.max(1, xs[xs.length - 1]);
    axes(ctx, box, 0, xMax, lo, hi, 'trades', 'equity', { xInt: true });
    const X = (v) => box.l + ((box.r - box.l) * v) / xMax;
    const Y = (v) => box.b - ((box.b - box.t) * (v - lo)) / (hi - lo);
    const band = (a, b, color) => {
      ctx.fillStyle = color; ctx.beginPath();
      xs.forEach((x, i) => (i ? ctx.lineTo(X(x), Y(series[a][i])) : ctx.moveTo(X(x), Y(series[a][i]))));
      for (let i = xs.length - 1; i >= 0; i--) ctx.lineTo(X(xs[i]), Y(series[b][i]));
      ctx.closePath(); ctx.fill();
    };
    band('p5', 'p95', BAND);
    band('p25', 'p75', BAND_INNER);
    line(ctx, box, xs.map((x, i) => [x, series.p50[i]]), 0, xMax, lo, hi, C.bar);
    line(ctx, box, [[0, initial], [xMax, initial]], 0, xMax, lo, hi, C.loss, [3, 3]);
    legend(ctx, box, [['median', C.bar], ['initial capital', C.loss]]);
  });
}

/** Histogram of the paths' final equity, with the initial capital and the actual result. */
export function drawFinalEquityHistogram(canvas, histogram, initial, actual) {
  return mountCanvas(canvas, (ctx, w, hgt) => {
    if (!histogram || !histogram.counts || !histogram.counts.length) return empty(ctx, w, hgt, 'No paths');
    const { edges, counts } = histogram;
    let lo = Math.min(edges[0], initial); let hi = Math.max(edges[edges.length - 1], initial);
    if (lo === hi) { lo -= 1; hi += 1; }
    const maxC = Math.max(1, ...counts);
    const box = BOX(w, hgt);
    axes(ctx, box, lo, hi, 0, maxC, 'final equity', 'paths', { yInt: true });
    const X = (v) => box.l + ((box.r - box.l) * (v - lo)) / (hi - lo);
    counts.forEach((c, i) => {
      const x0 = X(edges[i]); const x1 = X(edges[i + 1]);
      const bh = ((box.b - box.t) * c) / maxC;
      ctx.fillStyle = (edges[i] + edges[i + 1]) / 2 >= initial ? C.win : C.loss;
      ctx.fillRect(x0 + 0.5, box.b - bh, Math.max(1, x1 - x0 - 1), bh);
    });
    const mark = (v, color) => { ctx.strokeStyle = color; ctx.setLineDash([3, 3]); ctx.beginPath(); ctx.moveTo(X(v), box.t); ctx.lineTo(X(v), box.b); ctx.stroke(); ctx.setLineDash([]); };
    mark(initial, C.loss);
    if (Number.isFinite(actual)) mark(actual, WARN);
    legend(ctx, box, [['initial capital', C.loss], ['the best trial', WARN]]);
  });
}
