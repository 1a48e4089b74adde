// The Strategy Editor: the strategy list, Monaco with live validation, the problems panel, the
// metadata form, templates, and "Run backtest".

import { api } from './api.js';
import { h, showError, emptyState, debounce } from './dom.js';
import { loadMonaco } from './vendor.js';
import { registerLuaCompletion } from './lua-completion.js';
import { parseHeader, applyHeader } from './metadata.js';
import { MetadataForm } from './metadata-form.js';
import { pickTemplate } from './template-picker.js';
import { promptDialog, confirmDialog } from './modal.js';
import { navigate } from './router.js';

const NAME_RE = /^[A-Za-z0-9_\-][A-Za-z0-9_\-./]*$/;
const checkName = (v) => {
  if (!v) return 'A name is required';
  if (!NAME_RE.test(v) || v.includes('..') || v.startsWith('/')) return 'Use letters, digits, _ - and / for folders (no .., no leading /)';
  return null;
};
const stripLua = (v) => v.replace(/\.lua$/, '');

const SEVERITY = { error: 8, warning: 4, info: 2 };

export class EditorView {
  constructor(root) {
    this.root = root;
    this.strategies = [];
    this.current = null; // {name, savedCode}
    this.validationSeq = 0;
    this.build();
  }

  build() {
    const btn = (label, testid, onclick, title) => h('button', { type: 'button', dataset: { testid }, onclick, title }, label);
    this.search = h('input', { type: 'search', placeholder: 'Search strategies', dataset: { testid: 'strategy-search' }, oninput: () => this.renderList() });
    this.listEl = h('div.strategy-list', { dataset: { testid: 'strategy-list' } });
    this.listError = h('div.error-box', { hidden: true });
    this.titleEl = h('span.doc-title', { dataset: { testid: 'editor-title' } }, 'No strategy open');
    this.dirtyEl = h('span.dirty', { dataset: { testid: 'editor-dirty' }, hidden: true }, '● unsaved');
    this.statusEl = h('span.status', { dataset: { testid: 'editor-status' } });
    this.errorBox = h('div.error-box', { hidden: true, dataset: { testid: 'editor-error' } });
    this.monacoEl = h('div.monaco-host', { dataset: { testid: 'editor' } });
    this.emptyEl = h('div.editor-empty', null, emptyState('No strategy open',
      'Pick one on the left, or create one with "New" or "From template". Ctrl+S saves, Ctrl+Enter runs a backtest.'));
    this.problemsList = h('ul.problems', { dataset: { testid: 'problems-list' } });
    this.problemsCount = h('span.count', { dataset: { testid: 'problems-count' } }, '');
    this.formEl = h('aside.meta-form', { dataset: { testid: 'meta-form' } });
    this.form = new MetadataForm(this.formEl, (m) => this.applyForm(m));
    this.form.setDisabled(true);

    this.buttons = {
      save: btn('Save', 'btn-save', () => this.save(), 'Save (Ctrl+S)'),
      rename: btn('Rename', 'btn-rename', () => this.rename()),
      del: btn('Delete', 'btn-delete', () => this.remove()),
      run: btn('▶ Run backtest', 'btn-run-backtest', () => this.runBacktest(), 'Save and run a backtest (Ctrl+Enter)'),
    };
    this.buttons.run.classList.add('primary');

    this.root.replaceChildren(
      h('aside.sidebar', null,
        h('div.toolbar', null,
          btn('New', 'btn-new', () => this.newStrategy()),
          btn('From template', 'btn-template', () => this.fromTemplate())),
        this.search, this.listError, this.listEl),
      h('div.editor-main', null,
        h('div.toolbar', null, this.titleEl, this.dirtyEl, h('span.spacer'), this.statusEl,
          this.buttons.save, this.buttons.rename, this.buttons.del, this.buttons.run),
        this.errorBox,
        h('div.editor-split', null, h('div.editor-wrap', null, this.monacoEl, this.emptyEl), this.formEl),
        h('section.problems-panel', { dataset: { testid: 'problems-panel' } },
          h('header', null, 'Problems ', this.problemsCount), this.problemsList)),
    );
    this.updateButtons();
    window.addEventListener('beforeunload', (e) => { if (this.isDirty()) { e.preventDefault(); e.returnValue = ''; } });
  }

  async init() {
    this.refreshList();
    try {
      this.monaco = await loadMonaco();
    } catch (e) {
      showError(this.errorBox, e, 'Loading the Monaco editor');
      return;
    }
    const monaco = this.monaco;
    registerLuaCompletion(monaco);
    this.model = monaco.editor.createModel('', 'lua');
    this.editor = monaco.editor.create(this.monacoEl, {
      model: this.model, theme: 'vs-dark', automaticLayout: true, minimap: { enabled: true },
      lineNumbers: 'on', matchBrackets: 'always', fontSize: 13, tabSize: 2, scrollBeyondLastLine: false,
      readOnly: true, renderWhitespace: 'selection', suggest: { showWords: false },
    });
    this.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => this.save());
    this.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => this.runBacktest());
    this.validateSoon = debounce(() => this.validate(), 300);
    this.syncFormSoon = debounce(() => this.form.set(parseHeader(this.model.getValue())), 200);
    this.model.onDidChangeContent(() => {
      if (!this.current) return;
      this.updateDirty();
      this.validateSoon();
      if (!this.applyingForm) this.syncFormSoon();
    });
    window.tradelab = Object.assign(window.tradelab || {}, { monaco, editor: this.editor });
    if (this.pendingOpen) { const n = this.pendingOpen; this.pendingOpen = null; this.open(n, true); }
  }

  /** Route #/editor[/NAME]. */
  async show(args) {
    if (this.editor) this.editor.layout();
    const name = args.join('/');
    if (name && (!this.current || this.current.name !== name)) {
      if (!this.editor) { this.pendingOpen = name; return; }
      await this.open(name);
    }
  }

  isDirty() {
    return !!(this.current && this.model && this.model.getValue() !== this.current.savedCode);
  }

  async confirmDiscard() {
    if (!this.isDirty()) return true;
    return confirmDialog('Unsaved changes', `"${this.current.name}" has unsaved changes. Discard them?`, 'Discard changes');
  }

  updateDirty() {
    this.dirtyEl.hidden = !this.isDirty();
    document.title = `${this.isDirty() ? '● ' : ''}${this.current ? this.current.name + ' — ' : ''}Tradelab`;
  }

  updateButtons() {
    const open = !!this.current;
    for (const b of Object.values(this.buttons)) b.disabled = !open;
    this.emptyEl.hidden = open;
  }

  async refreshList() {
    try {
      const { strategies } = await api.strategies();
      this.strategies = strategies;
      showError(this.listError, null);
    } catch (e) {
      showError(this.listError, e, 'Loading strategies');
    }
    this.renderList();
  }

  renderList() {
    const q = this.search.value.trim().toLowerCase();
    const matches = this.strategies.filter((s) => !q || [s.name, s.metadata && s.metadata.name, s.metadata && s.metadata.description]
      .some((v) => v && v.toLowerCase().includes(q)));
    this.listEl.replaceChildren();
    if (!this.strategies.length) {
      this.listEl.append(emptyState('No strategies yet', 'Click "From template" to start from one of the six templates.'));
      return;
    }
    if (!matches.length) { this.listEl.append(emptyState('No match', 'Clear the search to see every strategy.')); return; }
    const folders = new Map();
    for (const s of matches) {
      const folder = s.folder || (s.name.includes('/') ? s.name.slice(0, s.name.lastIndexOf('/')) : '');
      if (!folders.has(folder)) folders.set(folder, []);
      folders.get(folder).push(s);
    }
    const names = [...folders.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
    for (const folder of names) {
      const items = folders.get(folder).sort((a, b) => a.name.localeCompare(b.name));
      const details = h('details.folder', { open: true }, h('summary', null, folder ? `${folder}/` : 'My strategies'));
      for (const s of items) {
        const active = this.current && this.current.name === s.name;
        details.append(h(`a.strategy-item${active ? '.active' : ''}`, {
          href: `#/editor/${s.name}`, title: (s.metadata && s.metadata.description) || s.name,
          dataset: { testid: 'strategy-item', name: s.name },
        },
        h(`span.dot.${s.isValid === false ? 'bad' : 'ok'}`, { title: s.isValid === false ? 'has errors' : 'valid' }),
        h('span.label', null, (s.metadata && s.metadata.name) || s.name.split('/').pop()),
        h('span.file', null, s.name.split('/').pop())));
      }
      this.listEl.append(details);
    }
  }

  async open(name, force = false) {
    if (!force && !(await this.confirmDiscard())) {
      if (this.current) history.replaceState(null, '', `#/editor/${this.current.name}`);
      return;
    }
    showError(this.errorBox, null);
    this.statusEl.textContent = `Opening ${name}…`;
    try {
      const s = await api.strategy(name);
      this.setDocument(s.name, s.code);
      this.statusEl.textContent = '';
    } catch (e) {
      this.statusEl.textContent = '';
      showError(this.errorBox, e, `Opening ${name}`);
    }
  }

  setDocument(name, code) {
    this.current = { name, savedCode: code };
    this.applyingForm = true;
    this.model.setValue(code);
    this.applyingForm = false;
    this.editor.updateOptions({ readOnly: false });
    this.titleEl.textContent = name;
    this.form.setDisabled(false);
    this.form.set(parseHeader(code));
    this.updateButtons();
    this.updateDirty();
    this.renderList();
    this.validate();
    if (location.hash !== `#/editor/${name}`) history.replaceState(null, '', `#/editor/${name}`);
    this.editor.focus();
  }

  applyForm(meta) {
    if (!this.current) return;
    const before = this.model.getValue();
    const after = applyHeader(before, meta);
    if (after === before) return;
    // Replace only the lines that changed, so the undo stack and the cursor stay sensible.
    const a = before.split('\n'); const b = after.split('\n');
    let start = 0;
    while (start < a.length && start < b.length && a[start] === b[start]) start++;
    let endA = a.length - 1; let endB = b.length - 1;
    while (endA >= start && endB >= start && a[endA] === b[endB]) { endA--; endB--; }
    const M = this.monaco;
    const range = endA >= start
      ? new M.Range(start + 1, 1, endA + 1, a[endA].length + 1)
      : new M.Range(start + 1, 1, start + 1, 1);
    let text = b.slice(start, endB + 1).join('\n');
    if (endA < start) text += '\n';
    this.applyingForm = true;
    this.editor.executeEdits('metadata-form', [{ range, text, forceMoveMarkers: true }]);
    this.applyingForm = false;
  }

  async validate() {
    if (!this.current) return;
    const seq = ++this.validationSeq;
    const code = this.model.getValue();
    try {
      const report = await api.validate(code, `${this.current.name.split('/').pop()}.lua`);
      if (seq !== this.validationSeq) return;
      this.showDiagnostics(report.diagnostics || []);
    } catch (e) {
      if (seq !== this.validationSeq) return;
      this.problemsList.replaceChildren(h('li.problem.error', { dataset: { testid: 'problem-item', severity: 'error' } },
        `Validation unavailable: ${e.message}`));
      this.problemsCount.textContent = '';
    }
  }

  showDiagnostics(diags) {
    const M = this.monaco;
    const markers = diags.map((d) => {
      const line = Math.max(1, Math.min(d.line || 1, this.model.getLineCount()));
      const col = Math.max(1, d.column || 1);
      const word = this.model.getWordAtPosition({ lineNumber: line, column: col });
      const endCol = word ? word.endColumn : Math.max(col + 1, this.model.getLineMaxColumn(line));
      return { severity: SEVERITY[d.severity] || M.MarkerSeverity.Info, message: d.message, startLineNumber: line, startColumn: col, endLineNumber: line, endColumn: endCol, source: 'tradelab' };
    });
    M.editor.setModelMarkers(this.model, 'tradelab', markers);
    const counts = { error: 0, warning: 0, info: 0 };
    for (const d of diags) counts[d.severity] = (counts[d.severity] || 0) + 1;
    this.problemsCount.textContent = diags.length ? `${counts.error} errors, ${counts.warning} warnings, ${counts.info} infos` : 'none';
    this.problemsCount.dataset.errors = counts.error;
    this.problemsList.replaceChildren(...(diags.length ? diags.map((d) => h(`li.problem.${d.severity}`, {
      tabindex: 0, title: 'Go to the line',
      dataset: { testid: 'problem-item', severity: d.severity, line: d.line },
      onclick: () => this.reveal(d.line, d.column),
      onkeydown: (e) => { if (e.key === 'Enter') this.reveal(d.line, d.column); },
    }, h('span.sev', null, d.severity), h('span.loc', null, `${d.line}:${d.column}`), h('span.msg', null, d.message)))
      : [h('li.problem.none', { dataset: { testid: 'problems-none' } }, 'No problems found.')]));
  }

  reveal(line, column) {
    const pos = { lineNumber: line || 1, column: column || 1 };
    this.editor.setPosition(pos);
    this.editor.revealLineInCenter(pos.lineNumber);
    this.editor.focus();
  }

  async save() {
    if (!this.current) return false;
    const code = this.model.getValue();
    this.statusEl.textContent = 'Saving…';
    try {
      const s = await api.saveStrategy(this.current.name, code);
      this.current.savedCode = code;
      this.updateDirty();
      this.statusEl.textContent = `Saved ${new Date().toLocaleTimeString()}`;
      this.statusEl.dataset.saved = 'true';
      showError(this.errorBox, null);
      const i = this.strategies.findIndex((x) => x.name === this.current.name);
      const entry = { ...s }; delete entry.code;
      if (i >= 0) this.strategies[i] = entry; else this.strategies.push(entry);
      this.renderList();
      return true;
    } catch (e) {
      this.statusEl.textContent = 'Not saved';
      showError(this.errorBox, e, `Saving ${this.current.name}`);
      return false;
    }
  }

  async create(name, code) {
    try {
      const s = await api.createStrategy(name, code);
      await this.refreshList();
      this.setDocument(s.name || name, s.code ?? code);
    } catch (e) {
      showError(this.errorBox, e, `Creating ${name}`);
    }
  }

  async newStrategy() {
    if (!(await this.confirmDiscard())) return;
    const name = await promptDialog('New strategy', 'Name (a path under strategies/, without .lua)', 'my_strategy', checkName);
    if (!name) return;
    let code = '-- @name My Strategy\n-- @description Describe what it does.\n\nfunction on_bar(ctx, bar)\n  return "hold"\nend\n';
    try {
      const { templates } = await api.templates();
      const empty = templates.find((t) => /(^|\/)empty$/.test(t.name));
      if (empty) code = empty.code;
    } catch { /* the fallback above */ }
    await this.create(stripLua(name), code);
  }

  async fromTemplate() {
    if (!(await this.confirmDiscard())) return;
    const t = await pickTemplate();
    if (!t) return;
    const base = t.name.split('/').pop();
    const name = await promptDialog(`New strategy from "${t.title || t.name}"`, 'Name (a path under strategies/, without .lua)', `my_${base}`, checkName);
    if (!name) return;
    await this.create(stripLua(name), t.code);
  }

  async rename() {
    if (!this.current) return;
    const newName = await promptDialog('Rename strategy', 'New name', this.current.name, checkName);
    if (!newName || stripLua(newName) === this.current.name) return;
    try {
      const s = await api.saveStrategy(this.current.name, this.model.getValue(), stripLua(newName));
      this.current = { name: s.name, savedCode: this.model.getValue() };
      this.titleEl.textContent = s.name;
      history.replaceState(null, '', `#/editor/${s.name}`);
      this.updateDirty();
      await this.refreshList();
    } catch (e) {
      showError(this.errorBox, e, 'Renaming');
    }
  }

  async remove() {
    if (!this.current) return;
    if (!(await confirmDialog('Delete strategy', `Delete "${this.current.name}"? This removes the file.`, 'Delete'))) return;
    try {
      await api.deleteStrategy(this.current.name);
      this.current = null;
      this.model.setValue('');
      this.monaco.editor.setModelMarkers(this.model, 'tradelab', []);
      this.problemsList.replaceChildren();
      this.editor.updateOptions({ readOnly: true });
      this.titleEl.textContent = 'No strategy open';
      this.form.setDisabled(true);
      this.updateButtons();
      this.updateDirty();
      history.replaceState(null, '', '#/editor');
      await this.refreshList();
    } catch (e) {
      showError(this.errorBox, e, 'Deleting');
    }
  }

  async runBacktest() {
    if (!this.current) return;
    if (this.isDirty() && !(await this.save())) return;
    navigate(`#/backtest?strategy=${encodeURIComponent(this.current.name)}&autorun=1`);
  }

}

