// The /ws client: one socket for the page, reconnecting with backoff, subscribed to the sessions
// and optimizations that have listeners (the server then sends each one's latest state at once),
// dispatching backtest_state_update messages (with their state) and optimization_update messages
// (the message itself) to them.

import { token } from './api.js';

const listeners = new Map(); // sessionId -> Set(fn)
const statusListeners = new Set();
let socket = null;
let retry = 0;
let wanted = false;

function url() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const t = token();
  return `${proto}//${location.host}/ws${t ? `?token=${encodeURIComponent(t)}` : ''}`;
}

function setStatus(s) {
  for (const fn of statusListeners) fn(s);
}

function connect() {
  if (socket && socket.readyState <= 1) return;
  wanted = true;
  setStatus('connecting');
  socket = new WebSocket(url());
  socket.onopen = () => {
    retry = 0;
    setStatus('open');
    const ids = [...listeners.keys()];
    send(ids.includes('*') ? { type: 'subscribe_all' } : { type: 'subscribe', sessionIds: ids });
  };
  socket.onmessage = (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch { return; }
    let id = null; let payload = null;
    if (msg.type === 'backtest_state_update') { id = msg.sessionId; payload = msg.state; }
    else if (msg.type === 'optimization_update') { id = msg.optimizationId; payload = msg; }
    else return;
    const set = listeners.get(id);
    if (set) for (const fn of set) fn(payload, msg);
    if (msg.type !== 'backtest_state_update') return;
    const any = listeners.get('*');
    if (any) for (const fn of any) fn(msg.state, msg);
  };
  socket.onclose = () => {
    setStatus('closed');
    socket = null;
    if (!wanted) return;
    retry = Math.min(retry + 1, 6);
    setTimeout(connect, 250 * 2 ** retry);
  };
  socket.onerror = () => { /* onclose follows and reconnects */ };
}

function send(message) {
  if (isOpen()) socket.send(JSON.stringify(message));
}

/** Calls fn(state, message) for each update of sessionId ('*' for all sessions), starting with
 * its latest state; for an optimization id, fn(message, message). Returns an unsubscribe. */
export function subscribe(sessionId, fn) {
  connect();
  if (!listeners.has(sessionId)) {
    listeners.set(sessionId, new Set());
    send(sessionId === '*' ? { type: 'subscribe_all' } : { type: 'subscribe', sessionIds: [sessionId] });
  }
  listeners.get(sessionId).add(fn);
  return () => {
    const set = listeners.get(sessionId);
    if (set) {
      set.delete(fn);
      if (!set.size) { listeners.delete(sessionId); if (sessionId !== '*') send({ type: 'unsubscribe', sessionIds: [sessionId] }); }
    }
  };
}

export function onSocketStatus(fn) {
  statusListeners.add(fn);
  connect();
}

export function isOpen() {
  return !!socket && socket.readyState === 1;
}
