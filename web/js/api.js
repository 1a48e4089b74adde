// The HTTP API client (docs/http-api.md). Every call rejects with an ApiError carrying the server's
// {error: {code, message, details}} so the caller can show it where it happened.

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || null;
  }
}

const TOKEN_KEY = 'tradelab.token';

/** The bearer token: `?token=` in the page URL (remembered), else the stored one. */
export function token() {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) localStorage.setItem(TOKEN_KEY, fromUrl);
  return fromUrl || localStorage.getItem(TOKEN_KEY) || '';
}

function headers(extra) {
  const h = Object.assign({}, extra);
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

export async function request(method, path, body) {
  const init = { method, headers: headers(body !== undefined ? { 'Content-Type': 'application/json' } : {}) };
  if (body !== undefined) init.body = JSON.stringify(body);
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', `Cannot reach the server (${method} ${path}): ${e.message}. Is \`tradelab serve\` running?`);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = data && data.error;
    if (err) throw new ApiError(res.status, err.code || 'error', err.message || res.statusText, err.details);
    throw new ApiError(res.status, 'http', `${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
  if (data === null && text) throw new ApiError(res.status, 'invalid_json', `${method} ${path}: the response is not JSON`);
  return data;
}

const enc = (name) => name.split('/').map(encodeURIComponent).join('/');
const qs = (params) => {
  const p = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return p.length ? '?' + p.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&') : '';
};

export const api = {
  engine: () => request('GET', '/api/engine'),
  symbols: () => request('GET', '/api/symbols'),
  history: (symbol, q) => request('GET', `/api/history/${encodeURIComponent(symbol)}${qs(q)}`),

  strategies: () => request('GET', '/api/strategies'),
  strategy: (name) => request('GET', `/api/strategies/${enc(name)}`),
  createStrategy: (name, code) => request('POST', '/api/strategies', { name, code }),
  saveStrategy: (name, code, newName) => request('PUT', `/api/strategies/${enc(name)}`, newName ? { code, newName } : { code }),
  deleteStrategy: (name) => request('DELETE', `/api/strategies/${enc(name)}`),
  validate: (code, name) => request('POST', '/api/strategies/validate', name ? { code, name } : { code }),
  templates: () => request('GET', '/api/templates'),

  run: (req) => request('POST', '/api/backtest/run', req),
  sessions: (q = {}) => request('GET', `/api/backtest${qs(q)}`),
  session: (id) => request('GET', `/api/backtest/${id}`),
  status: (id) => request('GET', `/api/backtest/${id}/status`),
  control: (id, action) => request('POST', `/api/backtest/${id}/${action}`),
  results: (id, maxPoints, tradesLimit) => request('GET', `/api/backtest/${id}/results${qs({ maxPoints, tradesLimit })}`),
  trades: (id, offset, limit) => request('GET', `/api/backtest/${id}/trades${qs({ offset, limit })}`),
  candles: (id, maxPoints, q = {}) => request('GET', `/api/backtest/${id}/candles${qs({ maxPoints, ...q })}`),
  deleteRun: (id) => request('DELETE', `/api/backtest/${id}`),
  artifactUrl: (id, file) => `/api/backtest/${id}/artifacts/${encodeURIComponent(file)}`,

  optimize: (req) => request('POST', '/api/optimize', req),
  optimizations: (q = {}) => request('GET', `/api/optimize${qs(q)}`),
  optimization: (id) => request('GET', `/api/optimize/${id}`),
  stopOptimization: (id) => request('POST', `/api/optimize/${id}/stop`),
  optimizationResults: (id) => request('GET', `/api/optimize/${id}/results`),
  deleteOptimization: (id) => request('DELETE', `/api/optimize/${id}`),
};

/** Downloads an artifact through fetch (so a bearer token applies) and saves it under its name. */
export async function download(id, file) {
  const res = await fetch(api.artifactUrl(id, file), { headers: headers() });
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    try { msg = (await res.json()).error.message; } catch { /* keep the status */ }
    throw new ApiError(res.status, 'download', `${file}: ${msg}`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
