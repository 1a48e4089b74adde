// Modal dialogs: a generic one, plus prompt and confirm that resolve to the user's answer.

import { h } from './dom.js';

export function openModal({ title, body, actions = [], testid = 'modal', wide = false, onClose }) {
  const backdrop = h('div.modal-backdrop', { dataset: { testid: `${testid}-backdrop` } });
  const close = () => { backdrop.remove(); document.removeEventListener('keydown', onKey, true); if (onClose) onClose(); };
  const onKey = (e) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } };
  const footer = h('div.modal-actions', null, actions.map((a) => h(`button${a.primary ? '.primary' : ''}`, {
    type: 'button', dataset: { testid: a.testid || '' }, onclick: () => a.onClick(close),
  }, a.label)));
  const dialog = h(`div.modal${wide ? '.wide' : ''}`, { role: 'dialog', 'aria-modal': 'true', dataset: { testid } },
    h('div.modal-head', null, h('h2', null, title), h('button.link', { type: 'button', title: 'Close (Esc)', onclick: close }, '×')),
    h('div.modal-body', null, body), footer);
  backdrop.append(dialog);
  backdrop.addEventListener('mousedown', (e) => { if (e.target === backdrop) close(); });
  document.addEventListener('keydown', onKey, true);
  document.body.append(backdrop);
  return { close, dialog };
}

export function promptDialog(title, label, value = '', validate) {
  return new Promise((resolve) => {
    const input = h('input', { type: 'text', value, dataset: { testid: 'prompt-input' }, spellcheck: false });
    const err = h('p.form-error', { hidden: true, dataset: { testid: 'prompt-error' } });
    let done = false;
    const ok = (close) => {
      const v = input.value.trim();
      const problem = validate ? validate(v) : (v ? null : 'required');
      if (problem) { err.textContent = problem; err.hidden = false; return; }
      done = true; close(); resolve(v);
    };
    const m = openModal({
      title, testid: 'prompt',
      body: h('label.stack', null, label, input, err),
      actions: [{ label: 'Cancel', onClick: (c) => c() }, { label: 'OK', primary: true, testid: 'prompt-ok', onClick: ok }],
      onClose: () => { if (!done) resolve(null); },
    });
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') ok(m.close); });
    setTimeout(() => { input.focus(); input.select(); }, 0);
  });
}

export function confirmDialog(title, message, okLabel = 'OK') {
  return new Promise((resolve) => {
    let answer = false;
    openModal({
      title, testid: 'confirm', body: h('p', null, message),
      actions: [{ label: 'Cancel', onClick: (c) => c() }, { label: okLabel, primary: true, testid: 'confirm-ok', onClick: (c) => { answer = true; c(); } }],
      onClose: () => resolve(answer),
    });
  });
}
