// Live progress of a running backtest over the WebSocket (with /status polling as a fallback):
// progress bar, capital, drawdown, a live equity line, recent trades and signals, and the
// pause / resume / stop buttons.

import { api } from './api.js';
import { h, showError } from './dom.js';
import { money, pct, num, dateTime, shortId } from './format.js';
import { subscribe, isOpen } from './live-socket.js';
import { loadCharts } from './vendor.js';
import { COLORS, chartOptions } from './charts/lwc.js';

const FINAL = ['completed', 'stopped', 'failed'];

/** Normalizes the live equity curve (numbers, [t, v] pairs, {time, value|equity} or {time: [], equity: []}). */
function equityPoints(curve) {
  if (!curve) return [];
  if (Array.isArray(curve.time) && Array.isArray(curve.equity)) return curve.time.map((t, i) => [t, curve.equity[i]]);
  if (!Array.isArray(curve)) return [];
  return curve.map((p, i) => (typeof p === 'number' ? [i, p] : Array.isArray(p) ? p : [p.time ?? i, p.equity ?? p.value]));
}

export class LivePanel {
  /** onFinal(session status) is called once when the run ends. */
  constructor(root, id, onFinal) {
    this.root = root;
    this.id = id;
    this.onFinal = onFinal;
    this.updates = 0;
    this.lastMessageAt = 0;
    this.polledAt = 0;
    this.done = false;
    this.build();
  }

  build() {
    const stat = (label, testid) => { const v = h('div.card-value', { dataset: { testid } }, '—'); return [h('div.card', null, h('div.card-label', null, label), v), v]; };
    // Each figure says what it is: equity now, drawdown now and deepest so far, P&L of closed
    // trades, of the open ones at the last close, and both together.
    const [cCap, vCap] = stat('Equity', 'live-capital');
    const [cDd, vDd] = stat('Drawdown now', 'live-drawdown');
    const [cMdd, vMdd] = stat('Max drawdown', 'live-max-drawdown');
    const [cTr, vTr] = stat('Trades', 'live-trades');
    const [cWr, vWr] = stat('Win rate', 'live-winrate');
    const [cReal, vReal] = stat('Realized P&L', 'live-realized');
    const [cOpen, vOpen] = stat('Unrealized P&L', 'live-unrealized');
    const [cPnl, vPnl] = stat('Total P&L', 'live-total-pnl');
    this.v = { cap: vCap, dd: vDd, mdd: vMdd, tr: vTr, wr: vWr, real: vReal, open: vOpen, pnl: vPnl };
    this.bar = h('div.progress-fill');
    this.progress = h('div.progress', { dataset: { testid: 'progress-bar', progress: '0' } }, this.bar);
    this.progressText = h('span', { dataset: { testid: 'progress-text' } }, 'queued');
    this.statusEl = h('span.badge', { dataset: { testid: 'live-status' } }, 'queued');
    this.counter = h('span.hint', { dataset: { testid: 'ws-updates', count: '0' } }, '0 live updates');
    this.elapsedEl = h('span.hint', { dataset: { testid: 'live-elapsed' } });
    this.errorBox = h('div.error-box', { hidden: true, dataset: { testid: 'live-error' } });
    const btn = (label, testid, action) => h('button', { type: 'button', dataset: { testid }, onclick: () => this.control(action) }, label);
    this.buttons = { pause: btn('Pause', 'btn-pause', 'pause'), resume: btn('Resume', 'btn-resume', 'resume'), stop: btn('Stop', 'btn-stop', 'stop') };
    this.tradesList = h('ul.feed', { dataset: { testid: 'live-recent-trades' } });
    this.signalsList = h('ul.feed', { dataset: { testid: 'live-recent-signals' } });
    this.chartHost = h('div.chart-host.short', { dataset: { testid: 'chart-live' } });
    this.root.replaceChildren(h('section.live-panel', { dataset: { testid: 'live-panel', id: this.id } },
      h('div.toolbar', null, h('strong', null, `Run ${shortId(this.id)}`), this.statusEl, this.progressText, this.elapsedEl, h('span.spacer'), this.counter,
        this.buttons.pause, this.buttons.resume, this.buttons.stop),
      this.progress, this.errorBox,
      h('div.cards', null, cCap, cDd, cMdd, cTr, cWr, cReal, cOpen, cPnl),
      this.grid = h('div.live-grid', null, h('section.panel', null, h('header', null, h('h3', null, 'Live equity')), this.chartHost),
        h('section.panel', null, h('header', null, h('h3', null, 'Recent trades')), this.tradesList),
        h('section.panel', null, h('header', null, h('h3', null, 'Recent signals')), this.signalsList))));
    this.setButtons('queued');
  }

  async start() {
    this.unsubscribe = subscribe(this.id, (state) => { this.lastMessageAt = Date.now(); this.updates++; this.queue(state); });
    loadCharts().then((LWC) => {
      if (this.done && !this.root.isConnected) return;
      this.chart = LWC.createChart(this.chartHost, chartOptions({ timeScale: { visible: false } }));
      this.series = this.chart.addLineSeries({ color: COLORS.equity, lineWidth: 2 });
      if (this.lastState) this.paintChart(this.lastState);
    }).catch(() => {});
    // Fallback: poll /status while the socket is silent (closed, or no message for 2 s), and every
    // 5 s anyway for the elapsed time against the run's limit (ticking here in between).
    this.poll = setInterval(() => { this.pollStatus(); this.paintElapsed(); }, 1000);
    await this.pollStatus();
  }

  stop() {
    clearInterval(this.poll);
    clearTimeout(this.stopTimer);
    if (this.unsubscribe) this.unsubscribe();
    cancelAnimationFrame(this.frame);
    if (this.chart) { this.chart.remove(); this.chart = null; }
  }

  async pollStatus() {
    if (this.done) return;
    if (isOpen() && Date.now() - this.lastMessageAt < 2000 && this.updates > 0 && Date.now() - this.polledAt < 5000) return;
    this.polledAt = Date.now();
    try {
      const st = await api.status(this.id);
      if (st.elapsedSeconds !== undefined) this.clock = { elapsed: st.elapsedSeconds, limit: st.timeLimitSeconds, at: Date.now(), status: st.status };
      this.queue(st, true);
    } catch (e) {
      showError(this.errorBox, e, 'Run status');
    }
  }

  /** Coalesces updates to one paint per animation frame, so a fast stream never blocks the page. */
  queue(state, fromPoll = false) {
    if (!fromPoll && FINAL.includes(state.status)) this.finalFigures = true;   // the final state, with the final figures
    if (!fromPoll || !this.lastState) this.lastState = Object.assign({}, this.lastState, state);
    else this.lastState = Object.assign({}, this.lastState, { status: state.status, progressPercent: state.progressPercent, currentCandleIndex: state.currentCandleIndex, totalCandles: state.totalCandles, currentTime: state.currentTime });
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.paint(this.lastState); });
  }

  /** "elapsed 0:42 of 10:00 limit" while the run goes (the limit stops a script that runs too long). */
  paintElapsed() {
    const c = this.clock;
    if (!c || this.done) return;
    const status = (this.lastState && this.lastState.status) || c.status;
    const elapsed = c.elapsed + (status === 'running' ? (Date.now() - c.at) / 1000 : 0);
    const clock = (sec) => { const m = Math.floor(sec / 60); return `${m}:${String(Math.floor(sec % 60)).padStart(2, '0')}`; };
    this.elapsedEl.textContent = `elapsed ${clock(elapsed)}${c.limit ? ` of ${clock(c.limit)} limit` : ''}`;
    Object.assign(this.elapsedEl.dataset, { elapsed: String(Math.floor(elapsed)), limit: String(c.limit || '') });
  }

  setButtons(status) {
    this.buttons.pause.disabled = status !== 'running';
    this.buttons.resume.disabled = status !== 'paused' && status !== 'pausing';
    this.buttons.stop.disabled = FINAL.includes(status) || status === 'stopping';
  }

  paint(s) {
    const p = Math.max(0, Math.min(100, Number(s.progressPercent) || 0));
    this.bar.style.width = `${p}%`;
    this.progress.dataset.progress = String(p);
    this.progressText.textContent = `${p.toFixed(1)}%${s.totalCandles ? ` · bar ${(s.currentCandleIndex || 0).toLocaleString('en-US')} / ${s.totalCandles.toLocaleString('en-US')}` : ''}${s.currentTime ? ` · ${dateTime(s.currentTime)}` : ''}`;
    if (s.status) { this.statusEl.textContent = s.status === 'stopping' ? 'stopping…' : s.status; this.statusEl.className = `badge ${s.status}`; this.setButtons(s.status); }
    this.counter.textContent = `${this.updates} live updates`;
    this.counter.dataset.count = String(this.updates);
    // A failed run's last state carries no real figures: the last good ones stay.
    if (s.status !== 'failed') this.paintFigures(s);
    if (Array.isArray(s.recentTrades)) this.tradesList.replaceChildren(...s.recentTrades.slice(-12).reverse().map((t) => h('li', null, this.describe(t))));
    if (Array.isArray(s.recentSignals)) this.signalsList.replaceChildren(...s.recentSignals.slice(-12).reverse().map((t) => h('li', null, this.describe(t))));
    this.paintChart(s);
    if (s.status && FINAL.includes(s.status) && !this.done) {
      this.done = true;
      this.grid.hidden = true;   // the report below takes over: no empty live boxes above it
      this.onFinal(s.status);
      // A poll may learn of the end before the socket brings the final figures: wait for them a little.
      if (!this.finalFigures) this.stopTimer = setTimeout(() => this.stop(), 5000);
    }
    if (this.done && this.finalFigures) this.stop();
  }

  paintFigures(s) {
    const set = (el, value, fmt) => { if (value !== undefined && value !== null) { el.textContent = fmt(value); el.dataset.value = String(value); } };
    set(this.v.cap, s.currentCapital, money);
    set(this.v.dd, s.drawdown, (v) => pct(v <= 0 ? v : -v));
    set(this.v.mdd, s.maxDrawdown, (v) => pct(v <= 0 ? v : -v));
    set(this.v.real, s.realizedPnl, money);
    set(this.v.open, s.unrealizedPnl, money);
    if (s.realizedPnl !== undefined && s.unrealizedPnl !== undefined) set(this.v.pnl, s.realizedPnl + s.unrealizedPnl, money);
    const m = s.metrics || {};
    set(this.v.tr, m.totalTrades, String);
    set(this.v.wr, m.winRate, pct);
  }

  describe(x) {
    if (typeof x !== 'object' || x === null) return String(x);
    const parts = [];
    if (x.time || x.entryTime) parts.push(dateTime(x.time || x.exitTime || x.entryTime));
    if (x.side || x.action || x.signal) parts.push(x.side || x.action || x.signal);
    if (x.price !== undefined) parts.push(`@ ${num(x.price, 4)}`);
    else if (x.exitPrice !== undefined) parts.push(`${num(x.entryPrice, 2)} → ${num(x.exitPrice, 2)}`);
    if (x.pnl !== undefined) parts.push(`P&L ${money(x.pnl)}`);
    if (x.reason || x.exitReason) parts.push(x.reason || x.exitReason);
    return parts.length ? parts.join(' · ') : JSON.stringify(x);
  }

  paintChart(s) {
    if (!this.series) return;
    const pts = equityPoints(s.metrics && s.metrics.equityCurve);
    if (!pts.length) return;
    const data = [];
    let last = -Infinity;
    pts.forEach(([t, v], i) => {
      let time = typeof t === 'string' ? Date.parse(t) / 1000 : t > 1e11 ? t / 1000 : t;
      if (!(time > last)) time = last === -Infinity ? i : last + 1;
      if (Number.isFinite(v)) { data.push({ time, value: v }); last = time; }
    });
    this.series.setData(data);
  }

  async control(action) {
    showError(this.errorBox, null);
    try {
      const session = await api.control(this.id, action);
      if (session && session.status) this.queue({ status: session.status, progressPercent: session.progressPercent ?? this.lastState?.progressPercent });
    } catch (e) {
      showError(this.errorBox, e, `${action[0].toUpperCase()}${action.slice(1)}`);
    }
  }
}
