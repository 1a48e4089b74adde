// Hash routing: #/editor[/NAME], #/backtest[/ID], #/runs[/compare/A/B].

const listeners = [];

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const view = parts[0] || 'editor';
  return { view, args: parts.slice(1), query: new URLSearchParams(query) };
}

export function onRoute(fn) {
  listeners.push(fn);
}

export function navigate(hash) {
  if (location.hash === hash) dispatch();
  else location.hash = hash;
}

/** Guards run before leaving a route; one returning false cancels the navigation. */
const guards = [];
export function addGuard(fn) { guards.push(fn); }

let current = null;
function dispatch() {
  const route = parseHash();
  for (const g of guards) {
    if (g(current, route) === false) {
      if (current) history.replaceState(null, '', current.hash);
      return;
    }
  }
  current = Object.assign(route, { hash: location.hash || '#/editor' });
  for (const fn of listeners) fn(route);
}

export function start() {
  window.addEventListener('hashchange', dispatch);
  dispatch();
}
