// The template picker: a modal listing the templates with a preview and description.

import { api } from './api.js';
import { h, showError, emptyState } from './dom.js';
import { openModal } from './modal.js';

/** Resolves to the chosen template ({name, title, description, code, metadata}) or null. */
export function pickTemplate() {
  return new Promise((resolve) => {
    let chosen = null;
    let result = null;
    const list = h('ul.template-list', { dataset: { testid: 'template-list' } });
    const preview = h('pre.template-code', { dataset: { testid: 'template-preview' } });
    const title = h('h3');
    const desc = h('p.template-desc');
    const err = h('div.error-box', { hidden: true });
    const select = (t, li) => {
      chosen = t;
      for (const el of list.children) el.classList.toggle('selected', el === li);
      title.textContent = t.title || t.name;
      desc.textContent = t.description || (t.metadata && t.metadata.description) || '';
      preview.textContent = t.code;
    };
    const modal = openModal({
      title: 'New strategy from a template', testid: 'template-modal', wide: true,
      body: h('div.template-picker', null, err, list, h('div.template-detail', null, title, desc, preview)),
      actions: [
        { label: 'Cancel', onClick: (c) => c() },
        { label: 'Use this template', primary: true, testid: 'template-use', onClick: (c) => { if (chosen) { result = chosen; c(); } } },
      ],
      onClose: () => resolve(result),
    });
    list.append(h('li.muted', null, 'Loading templates…'));
    api.templates().then(({ templates }) => {
      list.replaceChildren();
      if (!templates.length) { list.append(emptyState('No templates', 'The server found no strategies/templates folder.')); return; }
      for (const t of templates) {
        const li = h('li', { tabindex: 0, dataset: { testid: 'template-item', name: t.name }, onclick: () => select(t, li), ondblclick: () => { result = t; modal.close(); } },
          h('strong', null, t.title || t.name), h('span.muted', null, t.description || ''));
        list.append(li);
      }
      select(templates[0], list.firstChild);
    }).catch((e) => { list.replaceChildren(); showError(err, e, 'Loading templates'); });
  });
}
