// Oscillator panes below the price chart: one chart per indicator with a scale of its own (RSI,
// MACD with signal and histogram, Stochastic, ADX, CCI, ROC, ATR, OBV), on the same bars as the
// price chart and kept in step with it: scrolling or zooming any of them moves all of them.

import { h } from '../dom.js';
import { COLORS, chartOptions } from './lwc.js';
import { PANE_LEVELS, outputLabel } from './indicators.js';

/** Width of every price scale in the price chart and its panes, so their time axes line up. */
export const PRICE_SCALE_PX = 76;

export class IndicatorPanes {
  constructor(LWC, box, main) {
    this.LWC = LWC;
    this.box = box;
    this.main = main;
    this.panes = new Map();          // spec -> {chart, series: [], host}
    this.syncing = false;
    main.timeScale().subscribeVisibleLogicalRangeChange((r) => this.follow(main, r));
  }

  /** Moves every other chart to the logical range `r` of `source`. */
  follow(source, r) {
    if (this.syncing || !r) return;
    this.syncing = true;
    try {
      for (const chart of [this.main, ...[...this.panes.values()].map((p) => p.chart)]) {
        if (chart !== source) chart.timeScale().setVisibleLogicalRange(r);
      }
    } finally {
      this.syncing = false;
    }
  }

  /** Draws `indicators` (the pane ones of a candles response) over `times`, the price chart's bars. */
  draw(times, indicators) {
    const wanted = new Set(indicators.map((i) => i.spec));
    for (const [spec, pane] of this.panes) if (!wanted.has(spec)) { pane.chart.remove(); pane.host.remove(); this.panes.delete(spec); }
    for (const ind of indicators) {
      const pane = this.panes.get(ind.spec) || this.create(ind);
      ind.outputs.forEach((output, j) => {
        const values = ind.values[j];
        // Every bar gets a point (blank in the warm-up), so logical ranges line up with the price chart's.
        const data = new Array(times.length);
        let shown = 0; let last = null;
        for (let i = 0; i < times.length; i++) {
          const v = values[i];
          if (v === null || v === undefined) data[i] = { time: times[i] };
          else {
            shown++; last = v;
            data[i] = pane.histogram === j ? { time: times[i], value: v, color: v >= 0 ? 'rgba(38,166,154,0.6)' : 'rgba(239,83,80,0.6)' } : { time: times[i], value: v };
          }
        }
        pane.series[j].setData(data);
        if (j === 0) Object.assign(pane.host.dataset, { points: String(shown), last: last === null ? '' : String(last), bars: String(times.length) });
      });
    }
    const range = this.main.timeScale().getVisibleLogicalRange();
    if (range) for (const p of this.panes.values()) p.chart.timeScale().setVisibleLogicalRange(range);
  }

  create(ind) {
    const host = h('div.chart-host.pane', { dataset: { testid: `chart-pane-${ind.name}`, spec: ind.spec } });
    this.box.append(host);
    const edges = this.main.timeScale().options();
    const chart = this.LWC.createChart(host, chartOptions({ rightPriceScale: { borderColor: COLORS.grid, minimumWidth: PRICE_SCALE_PX },
      timeScale: { fixLeftEdge: edges.fixLeftEdge, fixRightEdge: edges.fixRightEdge } }));
    const histogram = ind.name === 'macd' ? ind.outputs.findIndex((o) => o.startsWith('macd_hist')) : -1;
    const series = ind.outputs.map((output, j) => (j === histogram
      ? chart.addHistogramSeries({ title: outputLabel(ind, output), priceLineVisible: false, lastValueVisible: false })
      : chart.addLineSeries({ color: COLORS.palette[j % COLORS.palette.length], lineWidth: 1, title: outputLabel(ind, output), priceLineVisible: false, crosshairMarkerVisible: false })));
    for (const level of PANE_LEVELS[ind.name] || []) {
      series[0].createPriceLine({ price: level, color: COLORS.text, lineWidth: 1, lineStyle: 2, axisLabelVisible: true, title: '' });
    }
    chart.timeScale().subscribeVisibleLogicalRangeChange((r) => this.follow(chart, r));
    const pane = { chart, series, host, histogram };
    this.panes.set(ind.spec, pane);
    return pane;
  }

  /** The pane charts by spec, for the browser tests. */
  charts() { return Object.fromEntries([...this.panes].map(([spec, p]) => [spec, p.chart])); }

  remove() {
    for (const p of this.panes.values()) p.chart.remove();
    this.panes.clear();
  }
}
