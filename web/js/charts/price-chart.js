// The run's candlestick chart: candles, volume bars, the strategy's indicators and entry/exit
// markers, with oscillators in panes below it. Big runs arrive downsampled (?maxPoints=, the
// server merges bars); zooming in re-requests the visible window at full resolution, zooming back
// out restores the overview. Indicators come from the server with the candles (native values,
// the ones the strategy saw), so they draw on the overview as well as on a zoomed window.

import { api } from '../api.js';
import { h } from '../dom.js';
import { toSeconds } from '../format.js';
import { COLORS, chartOptions, fitWhole, floorIndex, timeframeSeconds } from './lwc.js';
import { parseIndicatorList, outputLabel } from './indicators.js';
import { IndicatorPanes, PRICE_SCALE_PX } from './indicator-panes.js';

export const MAX_CANDLES = 3000;
/** Fewest pixels between two trades' markers before they are thinned. */
const MARKER_PX = 7;

export class PriceChart {
  /** opts: {LWC, runId, timeframe, trades, indicators (spec texts), runs (count)} */
  constructor(container, opts) {
    Object.assign(this, opts);
    this.container = container;
    this.markerRun = opts.runs > 1 ? 1 : null;
    this.specs = opts.indicators || [];
    this.overlaySeries = [];
    this.window = null;                        // null: the overview; else {start, end} in seconds
    this.indicatorInput = h('input', { type: 'text', value: this.specs.join(', '), placeholder: 'ema:12, rsi:14, macd:12,26,9, bbands:20,2', size: 34,
      dataset: { testid: 'overlay-input' }, onchange: () => this.changeIndicators() });
    this.note = h('span.hint', { dataset: { testid: 'price-note' } });
    this.markerNote = h('span.hint', { dataset: { testid: 'marker-note' } });
    const runSelect = opts.runs > 1 ? h('label', null, 'Markers of run ', h('select', { onchange: (e) => { this.markerRun = Number(e.target.value) || null; this.drawMarkers(); } },
      h('option', { value: '' }, 'all'), Array.from({ length: opts.runs }, (_, i) => h('option', { value: i + 1, selected: i === 0 }, `#${i + 1}`)))) : null;
    this.host = h('div.chart-host.tall', { dataset: { testid: 'chart-price' } });
    this.paneBox = h('div.panes', { dataset: { testid: 'indicator-panes' } });
    container.replaceChildren(h('div.chart-controls', null, h('label', null, 'Indicators ', this.indicatorInput), runSelect, this.note, this.markerNote), this.host, this.paneBox);
  }

  /** candles: an already started request for the overview (without indicators), if any. */
  async load(candles) {
    const first = await (candles || this.fetch(null));
    this.chart = this.LWC.createChart(this.host, chartOptions({ rightPriceScale: { borderColor: COLORS.grid, minimumWidth: PRICE_SCALE_PX, scaleMargins: { top: 0.05, bottom: 0.25 } } }));
    this.candles = this.chart.addCandlestickSeries({ upColor: COLORS.up, downColor: COLORS.down, wickUpColor: COLORS.up, wickDownColor: COLORS.down, borderVisible: false });
    this.volume = this.chart.addHistogramSeries({ priceScaleId: 'vol', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    this.chart.priceScale('vol').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.panes = new IndicatorPanes(this.LWC, this.paneBox, this.chart);
    this.setBars(first);
    fitWhole(this.chart);
    this.chart.timeScale().subscribeVisibleTimeRangeChange(() => this.onRangeChange());
    this.overview = first;
    // The early overview came without indicators: they follow in a second request, drawn when they arrive.
    if (this.specs.length && !first.indicators) this.reload();
    return this;
  }

  /** Candles of `window` (null: the overview) with the current indicators. */
  fetch(window) {
    const q = { indicators: this.specs.join(';') };
    if (window) Object.assign(q, { start: window.start, end: window.end });
    return api.candles(this.runId, MAX_CANDLES, q);
  }

  /** Fetches the current window again (after the indicators changed). */
  async reload() {
    const window = this.window;
    try {
      const resp = await this.fetch(window);
      if (!window) this.overview = resp;
      if (this.window !== window) return true;   // zoomed meanwhile: that window loads with the indicators
      const range = this.chart.timeScale().getVisibleLogicalRange();
      this.setBars(resp);
      if (range) this.chart.timeScale().setVisibleLogicalRange(range);
      return true;
    } catch (e) {
      this.note.textContent = `Indicators: ${e.message}`;
      return false;
    }
  }

  async changeIndicators() {
    const previous = this.specs;
    this.specs = parseIndicatorList(this.indicatorInput.value);
    if (!(await this.reload())) this.specs = previous;   // a bad spec: keep what was drawn
  }

  /** Converts a candles response to arrays, dropping any non-increasing time. */
  static columns(c) {
    const keep = [];
    let last = -Infinity;
    for (let i = 0; i < c.time.length; i++) if (c.time[i] > last) { keep.push(i); last = c.time[i]; }
    const pick = (a) => (a ? keep.map((i) => a[i]) : null);
    const indicators = (c.indicators || []).map((ind) => Object.assign({}, ind, { values: ind.values.map(pick) }));
    return { time: pick(c.time), open: pick(c.open), high: pick(c.high), low: pick(c.low), close: pick(c.close), volume: pick(c.volume), downsampled: !!c.downsampled, indicators };
  }

  setBars(resp) {
    const c = PriceChart.columns(resp);
    this.response = resp;
    this.bars = c;
    const n = c.time.length;
    const candles = new Array(n); const vol = new Array(n);
    for (let i = 0; i < n; i++) {
      candles[i] = { time: c.time[i], open: c.open[i], high: c.high[i], low: c.low[i], close: c.close[i] };
      vol[i] = { time: c.time[i], value: c.volume ? c.volume[i] : 0, color: c.close[i] >= c.open[i] ? 'rgba(38,166,154,0.45)' : 'rgba(239,83,80,0.45)' };
    }
    // The overview's edges are the run's; a zoomed window's are not, so it may scroll past them
    // (which loads the next window, or the overview again).
    const edges = { fixLeftEdge: !this.window, fixRightEdge: !this.window };
    for (const chart of [this.chart, ...Object.values(this.panes.charts())]) chart.timeScale().applyOptions(edges);
    this.candles.setData(candles);
    this.volume.setData(vol);
    if (resp.indicators || !this.specs.length) this.drawIndicators(c);
    this.drawMarkers();
    const merged = c.downsampled ? ` (merged from ${Number(resp.sourceCount).toLocaleString('en-US')} bars; zoom in for full resolution)` : '';
    this.note.textContent = `${n.toLocaleString('en-US')} candles ${this.timeframe || ''}${this.window ? ' (zoomed window)' : ''}${merged}.`;
  }

  /** Price-scale indicators as lines over the candles; the others in panes below. */
  drawIndicators(c) {
    for (const s of this.overlaySeries) this.chart.removeSeries(s);
    this.overlaySeries = [];
    let k = 0;
    for (const ind of c.indicators.filter((i) => i.pane === 'price')) {
      ind.outputs.forEach((output, j) => {
        const s = this.chart.addLineSeries({ color: COLORS.palette[k++ % COLORS.palette.length], lineWidth: 1, title: outputLabel(ind, output), priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false });
        const data = [];
        const values = ind.values[j];
        for (let i = 0; i < values.length; i++) if (values[i] !== null) data.push({ time: c.time[i], value: values[i] });
        s.setData(data);
        this.overlaySeries.push(s);
      });
    }
    this.panes.draw(c.time, c.indicators.filter((i) => i.pane !== 'price'));
    this.container.dataset.indicators = c.indicators.map((i) => i.spec).join(';');
  }

  /** Every marker of the loaded bars, each tagged with its trade's ordinal. */
  markers() {
    const times = this.bars.time;
    const out = [];
    if (!times.length) return out;
    const first = times[0]; const lastT = times[times.length - 1] + timeframeSeconds(this.timeframe);
    (this.trades || []).forEach((t, ordinal) => {
      if (this.markerRun && t.run && t.run !== this.markerRun) return;
      const long = t.side !== 'short';
      const entry = toSeconds(t.entryTime);
      const exit = toSeconds(t.exitTime);
      if (entry !== null && entry >= first && entry < lastT) {
        out.push({ ordinal, at: entry, time: times[Math.max(0, floorIndex(times, entry))], position: long ? 'belowBar' : 'aboveBar', color: long ? COLORS.up : COLORS.down, shape: long ? 'arrowUp' : 'arrowDown', text: long ? 'L' : 'S' });
      }
      if (exit !== null && t.exitReason !== 'open' && exit >= first && exit < lastT) {
        out.push({ ordinal, at: exit, time: times[Math.max(0, floorIndex(times, exit))], position: long ? 'aboveBar' : 'belowBar', color: t.pnl >= 0 ? '#7bd88f' : '#ff6b6b', shape: 'circle', text: t.exitReason && t.exitReason !== 'signal' ? t.exitReason : '' });
      }
    });
    return out.sort((a, b) => a.time - b.time);
  }

  /** Sets the markers, thinned to one trade in `step` when the visible trades would overlap. */
  drawMarkers() {
    this.allMarkers = this.markers();
    this.thinMarkers();
  }

  thinMarkers() {
    if (!this.allMarkers) return;
    const range = this.chart.timeScale().getVisibleRange();
    const from = range ? Number(range.from) : -Infinity; const to = range ? Number(range.to) : Infinity;
    const visible = new Set(this.allMarkers.filter((m) => m.at >= from && m.at <= to + timeframeSeconds(this.timeframe)).map((m) => m.ordinal)).size;
    const room = Math.max(1, Math.floor((this.host.clientWidth || 600) / MARKER_PX));
    const step = visible > room ? Math.ceil(visible / room) : 1;
    const shown = this.allMarkers.filter((m) => m.ordinal % step === 0 || m.ordinal === this.focus);
    this.candles.setMarkers(shown.map(({ ordinal, at, ...m }) => m));
    this.host.dataset.markerStep = String(step);
    this.host.dataset.markers = String(shown.length);
    this.markerNote.textContent = step > 1 ? `Markers of 1 in ${step} trades (${visible.toLocaleString('en-US')} in view); zoom in to see all.` : '';
  }

  /** Zooms to a trade (a click in the trade log): its bars with some before and after. */
  zoomTo(trade) {
    const entry = toSeconds(trade.entryTime);
    if (entry === null || !this.chart) return;
    const exit = toSeconds(trade.exitTime) ?? entry;
    const step = timeframeSeconds(this.timeframe);
    const pad = Math.max((exit - entry) * 0.5, 30 * step);
    this.focus = (this.trades || []).indexOf(trade);
    if (this.markerRun && trade.run && trade.run !== this.markerRun) { this.markerRun = trade.run; this.drawMarkers(); }
    this.chart.timeScale().setVisibleRange({ from: entry - pad, to: exit + pad });
    this.host.dataset.focus = `${trade.entryTime}`;
    this.host.scrollIntoView({ block: 'center' });
  }

  onRangeChange() {
    clearTimeout(this.refineTimer);
    this.refineTimer = setTimeout(() => { this.thinMarkers(); this.refine(); }, 200);
  }

  /** Loads full-resolution bars for a zoomed-in view; restores the overview when zoomed out. */
  async refine() {
    if (this.loading || !this.overview) return;
    const range = this.chart.timeScale().getVisibleRange();
    if (!range) return;
    const from = Number(range.from); const to = Number(range.to);
    const step = timeframeSeconds(this.timeframe);
    const span = to - from;
    if (this.window) {
      const t = this.bars.time;
      const outside = from < t[0] - step || to > t[t.length - 1] + step;
      if (outside && span / step > MAX_CANDLES) {
        this.window = null;
        this.setBars(this.overview);
        this.chart.timeScale().setVisibleRange({ from, to });
      }
      if (!outside) return;
    }
    if (!this.overview.downsampled && !this.window) return;
    if (span / step > MAX_CANDLES * 0.8) return; // still too many bars for full resolution
    const pad = Math.min(span, (MAX_CANDLES * step - span) / 2);
    const window = { start: Math.floor(from - pad), end: Math.ceil(to + pad) };
    this.loading = true;
    try {
      const resp = await this.fetch(window);
      if (resp.time && resp.time.length) {
        this.window = window;
        this.setBars(resp);
        this.chart.timeScale().setVisibleRange({ from, to });
      }
    } catch (e) {
      this.note.textContent = `Could not load full-resolution bars: ${e.message}`;
    } finally {
      this.loading = false;
    }
  }

  remove() {
    clearTimeout(this.refineTimer);
    this.panes.remove();
    this.chart.remove();
  }
}
