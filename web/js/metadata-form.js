// The metadata form beside the editor: name, description, author, indicators, context fields,
// symbols, risk and params, kept in sync with the header comments of the script.

import { h } from './dom.js';
import { emptyMetadata } from './metadata.js';

const list = (s) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

export class MetadataForm {
  /** onChange(metadata) is called when the user edits the form. */
  constructor(root, onChange) {
    this.root = root;
    this.onChange = onChange;
    this.meta = emptyMetadata();
    const field = (label, input) => h('label.stack', null, label, input);
    const emit = () => this.emit();
    this.inputs = {
      name: h('input', { type: 'text', dataset: { testid: 'meta-name' }, oninput: emit }),
      description: h('textarea', { rows: 3, dataset: { testid: 'meta-description' }, oninput: emit }),
      author: h('input', { type: 'text', dataset: { testid: 'meta-author' }, oninput: emit }),
      indicators: h('input', { type: 'text', placeholder: 'ema, rsi', dataset: { testid: 'meta-indicators' }, oninput: emit }),
      context: h('input', { type: 'text', placeholder: 'funding_rate', dataset: { testid: 'meta-context' }, oninput: emit }),
      symbols: h('input', { type: 'text', placeholder: 'BTCUSDT, ETHUSDT', dataset: { testid: 'meta-symbols' }, oninput: emit }),
      risk: h('select', { dataset: { testid: 'meta-risk' }, onchange: emit },
        ['', 'low', 'medium', 'high'].map((r) => h('option', { value: r }, r || '—'))),
    };
    this.paramsBody = h('tbody');
    root.replaceChildren(
      h('h3', null, 'Metadata'),
      h('p.hint', null, 'Kept in sync with the header comments (-- @name ...).'),
      field('Name', this.inputs.name),
      field('Description', this.inputs.description),
      field('Author', this.inputs.author),
      field('Indicators', this.inputs.indicators),
      field('Context fields', this.inputs.context),
      field('Symbols', this.inputs.symbols),
      field('Risk', this.inputs.risk),
      h('h4', null, 'Parameters'),
      h('table.params', { dataset: { testid: 'meta-params' } },
        h('thead', null, h('tr', null, ['name', 'default', 'min', 'max', 'description', ''].map((t) => h('th', null, t)))),
        this.paramsBody),
      h('button', { type: 'button', dataset: { testid: 'meta-add-param' }, onclick: () => { this.meta.params.push({ name: `p${this.meta.params.length + 1}`, defaultValue: '1', minimum: '', maximum: '', summary: '' }); this.renderParams(); this.emit(); } }, '+ parameter'),
    );
  }

  paramRow(p, i) {
    const cell = (key, width) => h('td', null, h('input', {
      type: 'text', value: p[key] ?? '', size: width,
      oninput: (e) => { this.meta.params[i][key] = e.target.value; this.emit(); },
    }));
    return h('tr', null, cell('name', 8), cell('defaultValue', 5), cell('minimum', 4), cell('maximum', 4), cell('summary', 14),
      h('td', null, h('button.link', { type: 'button', title: 'Remove', onclick: () => { this.meta.params.splice(i, 1); this.renderParams(); this.emit(); } }, '×')));
  }

  renderParams() {
    this.paramsBody.replaceChildren(...this.meta.params.map((p, i) => this.paramRow(p, i)));
  }

  read() {
    const v = (k) => this.inputs[k].value;
    return {
      name: v('name'), description: v('description'), author: v('author'),
      indicators: list(v('indicators')), context: list(v('context')), symbols: list(v('symbols')),
      risk: v('risk'), params: this.meta.params.map((p) => ({ ...p })),
    };
  }

  emit() {
    this.meta = this.read();
    this.onChange(this.meta);
  }

  /** Shows metadata parsed from the script, leaving a field the user is typing in alone. */
  set(meta) {
    const active = document.activeElement;
    if (this.root.contains(active) && active !== document.body) return; // the user is editing the form
    this.meta = { ...meta, params: meta.params.map((p) => ({ ...p })) };
    const put = (k, val) => { if (this.inputs[k].value !== val) this.inputs[k].value = val; };
    put('name', meta.name); put('description', meta.description); put('author', meta.author);
    put('indicators', meta.indicators.join(', ')); put('context', meta.context.join(', '));
    put('symbols', meta.symbols.join(', '));
    this.inputs.risk.value = ['low', 'medium', 'high'].includes(meta.risk) ? meta.risk : '';
    this.renderParams();
  }

  setDisabled(disabled) {
    for (const el of this.root.querySelectorAll('input, textarea, select, button')) el.disabled = disabled;
  }
}
