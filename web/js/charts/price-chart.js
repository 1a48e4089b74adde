// The run's candlestick chart: candles, volume bars, indicator overlays and entry/exit markers.
// Big runs arrive downsampled (?maxPoints=, the server merges bars); zooming in re-requests the
// visible window at full resolution from /api/history, zooming back out restores the overview.

import { api } from '../api.js';
import { h } from '../dom.js';
import { toSeconds } from '../format.js';
import { COLORS, chartOptions, fitWhole, floorIndex, timeframeSeconds } from './lwc.js';
import { computeOverlay, parseOverlaySpec } from './indicators.js';

export const MAX_CANDLES = 3000;

export class PriceChart {
  /** opts: {LWC, runId, symbol, timeframe, trades, overlays (spec text), runs (count)} */
  constructor(container, opts) {
    Object.assign(this, opts);
    this.container = container;
    this.markerRun = opts.runs > 1 ? 1 : null;
    this.overlaySeries = [];
    this.overlayInput = h('input', { type: 'text', value: opts.overlays || '', placeholder: 'ema:12, sma:50, bbands:20,2', size: 28, dataset: { testid: 'overlay-input' }, onchange: () => this.drawOverlays() });
    this.note = h('span.hint', { dataset: { testid: 'price-note' } });
    const runSelect = opts.runs > 1 ? h('label', null, 'Markers of run ', h('select', { onchange: (e) => { this.markerRun = Number(e.target.value) || null; this.drawMarkers(); } },
      h('option', { value: '' }, 'all'), Array.from({ length: opts.runs }, (_, i) => h('option', { value: i + 1, selected: i === 0 }, `#${i + 1}`)))) : null;
    this.host = h('div.chart-host.tall', { dataset: { testid: 'chart-price' } });
    container.replaceChildren(h('div.chart-controls', null, h('label', null, 'Overlays ', this.overlayInput), runSelect, this.note), this.host);
  }

  /** candles: an already started request for the overview, if any. */
  async load(candles) {
    this.overview = await (candles || api.candles(this.runId, MAX_CANDLES));
    this.chart = this.LWC.createChart(this.host, chartOptions({ rightPriceScale: { borderColor: COLORS.grid, scaleMargins: { top: 0.05, bottom: 0.25 } } }));
    this.candles = this.chart.addCandlestickSeries({ upColor: COLORS.up, downColor: COLORS.down, wickUpColor: COLORS.up, wickDownColor: COLORS.down, borderVisible: false });
    this.volume = this.chart.addHistogramSeries({ priceScaleId: 'vol', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    this.chart.priceScale('vol').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.setBars(this.overview);
    fitWhole(this.chart);
    this.chart.timeScale().subscribeVisibleTimeRangeChange(() => this.onRangeChange());
    return this;
  }

  /** Converts a candles response to arrays, dropping any non-increasing time. */
  static columns(c) {
    const keep = [];
    let last = -Infinity;
    for (let i = 0; i < c.time.length; i++) if (c.time[i] > last) { keep.push(i); last = c.time[i]; }
    const pick = (a) => (a ? keep.map((i) => a[i]) : null);
    return { time: pick(c.time), open: pick(c.open), high: pick(c.high), low: pick(c.low), close: pick(c.close), volume: pick(c.volume), downsampled: !!c.downsampled };
  }

  setBars(resp, windowed = false) {
    const c = PriceChart.columns(resp);
    this.bars = c;
    this.windowed = windowed;
    const n = c.time.length;
    const candles = new Array(n); const vol = new Array(n);
    for (let i = 0; i < n; i++) {
      candles[i] = { time: c.time[i], open: c.open[i], high: c.high[i], low: c.low[i], close: c.close[i] };
      vol[i] = { time: c.time[i], value: c.volume ? c.volume[i] : 0, color: c.close[i] >= c.open[i] ? 'rgba(38,166,154,0.45)' : 'rgba(239,83,80,0.45)' };
    }
    this.candles.setData(candles);
    this.volume.setData(vol);
    this.drawOverlays();
    this.drawMarkers();
    this.note.textContent = c.downsampled
      ? `${n.toLocaleString('en-US')} merged candles (downsampled overview); zoom in for full resolution and overlays.`
      : `${n.toLocaleString('en-US')} candles ${this.timeframe || ''}${windowed ? ' (zoomed window)' : ''}.`;
  }

  drawOverlays() {
    for (const s of this.overlaySeries) this.chart.removeSeries(s);
    this.overlaySeries = [];
    if (!this.bars || this.bars.downsampled) return;
    let k = 0;
    for (const spec of parseOverlaySpec(this.overlayInput.value)) {
      for (const line of computeOverlay(spec, this.bars)) {
        const s = this.chart.addLineSeries({ color: COLORS.palette[k++ % COLORS.palette.length], lineWidth: 1, title: line.label, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false });
        const data = [];
        for (let i = 0; i < line.values.length; i++) if (line.values[i] !== null) data.push({ time: this.bars.time[i], value: line.values[i] });
        s.setData(data);
        this.overlaySeries.push(s);
      }
    }
  }

  drawMarkers() {
    const times = this.bars.time;
    if (!times.length) return;
    const first = times[0]; const lastT = times[times.length - 1] + timeframeSeconds(this.timeframe);
    const markers = [];
    for (const t of this.trades || []) {
      if (this.markerRun && t.run && t.run !== this.markerRun) continue;
      const long = t.side !== 'short';
      const entry = toSeconds(t.entryTime);
      const exit = toSeconds(t.exitTime);
      if (entry !== null && entry >= first && entry < lastT) {
        markers.push({ time: times[Math.max(0, floorIndex(times, entry))], position: long ? 'belowBar' : 'aboveBar', color: long ? COLORS.up : COLORS.down, shape: long ? 'arrowUp' : 'arrowDown', text: long ? 'L' : 'S' });
      }
      if (exit !== null && t.exitReason !== 'open' && exit >= first && exit < lastT) {
        markers.push({ time: times[Math.max(0, floorIndex(times, exit))], position: long ? 'aboveBar' : 'belowBar', color: t.pnl >= 0 ? '#7bd88f' : '#ff6b6b', shape: 'circle', text: t.exitReason && t.exitReason !== 'signal' ? t.exitReason : '' });
      }
    }
    markers.sort((a, b) => a.time - b.time);
    this.candles.setMarkers(markers);
  }

  onRangeChange() {
    clearTimeout(this.refineTimer);
    this.refineTimer = setTimeout(() => this.refine(), 250);
  }

  /** Loads full-resolution bars for a zoomed-in view; restores the overview when zoomed out. */
  async refine() {
    if (!this.symbol || this.loading) return;
    const range = this.chart.timeScale().getVisibleRange();
    if (!range) return;
    const from = Number(range.from); const to = Number(range.to);
    const step = timeframeSeconds(this.timeframe);
    const span = to - from;
    const ov = this.overview;
    if (this.windowed) {
      const t = this.bars.time;
      const outside = from < t[0] - step || to > t[t.length - 1] + step;
      if (outside && span / step > MAX_CANDLES) {
        this.setBars(ov);
        this.chart.timeScale().setVisibleRange({ from, to });
      }
      if (!outside) return;
    }
    if (!ov.downsampled && !this.windowed) return;
    if (span / step > MAX_CANDLES * 0.8) return; // still too many bars for full resolution
    const pad = Math.min(span, (MAX_CANDLES * step - span) / 2);
    const start = new Date((from - pad) * 1000).toISOString().replace('.000', '');
    const end = new Date((to + pad) * 1000).toISOString().replace('.000', '');
    this.loading = true;
    try {
      const resp = await api.history(this.symbol, { interval: this.timeframe, start, end, maxPoints: MAX_CANDLES });
      if (resp.time && resp.time.length) {
        this.setBars(resp, true);
        this.chart.timeScale().setVisibleRange({ from, to });
      }
    } catch (e) {
      this.note.textContent = `Could not load full-resolution bars: ${e.message}`;
    } finally {
      this.loading = false;
    }
  }
}
