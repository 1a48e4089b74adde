// Small DOM helpers: element creation, error boxes, empty states.

/** h('div.card', {dataset: {testid: 'x'}, onclick}, children...) */
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else if (k in el && typeof v !== 'string') el[k] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
export const byTestId = (id, root = document) => root.querySelector(`[data-testid="${id}"]`);

/** Shows an error (an ApiError or any Error) in `box`; an empty call clears it. */
export function showError(box, err, context) {
  if (!box) return;
  box.replaceChildren();
  box.hidden = !err;
  if (!err) return;
  const code = err.code && err.code !== 'error' ? ` [${err.code}]` : '';
  box.append(h('strong', null, (context ? `${context}: ` : '') + (err.message || String(err)) + code));
  if (err.details && Object.keys(err.details).length) {
    box.append(h('pre.error-details', null, JSON.stringify(err.details, null, 2)));
  }
  box.append(h('button.link.error-close', { type: 'button', title: 'Dismiss', onclick: () => showError(box, null) }, '×'));
  console.error(context || 'error', err);
}

export function emptyState(title, hint) {
  return h('div.empty', { dataset: { testid: 'empty-state' } }, h('p.empty-title', null, title), hint ? h('p', null, hint) : null);
}

export function debounce(fn, ms) {
  let t = null;
  const d = (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  d.cancel = () => clearTimeout(t);
  return d;
}
