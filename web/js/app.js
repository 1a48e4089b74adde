// Entry point: checks the vendor libraries, builds the four views and routes between them.

import { h } from './dom.js';
import { missingVendorFiles } from './vendor.js';
import { onRoute, start, navigate } from './router.js';
import { EditorView } from './editor-view.js';
import { BacktestView } from './backtest-view.js';
import { RunsView } from './runs-view.js';
import { OptimizeView } from './optimize-view.js';
import { onSocketStatus } from './live-socket.js';
import { api } from './api.js';

const VIEWS = ['editor', 'backtest', 'optimize', 'runs'];

function showVendorMissing(files) {
  const box = document.getElementById('vendor-missing');
  box.hidden = false;
  box.replaceChildren(
    h('h2', null, 'The editor and chart libraries are not installed'),
    h('p', null, 'The web IDE needs Monaco and TradingView Lightweight Charts in web/vendor/. Install them (pinned, checksummed PyPI wheels) with:'),
    h('pre', null, 'scripts/setup_web.sh        # or: make run'),
    h('p', null, 'then reload this page. Missing: ', files.join(', ')));
}

async function main() {
  const views = {
    editor: new EditorView(document.getElementById('view-editor')),
    backtest: new BacktestView(document.getElementById('view-backtest')),
    optimize: new OptimizeView(document.getElementById('view-optimize')),
    runs: new RunsView(document.getElementById('view-runs')),
  };

  const missing = await missingVendorFiles();
  if (missing.length) {
    showVendorMissing(missing);
    document.body.classList.add('no-vendor');
  }
  let editorStarted = false;

  onRoute(async (route) => {
    const name = VIEWS.includes(route.view) ? route.view : 'editor';
    for (const v of VIEWS) {
      document.getElementById(`view-${v}`).hidden = v !== name;
      document.querySelector(`[data-testid="nav-${v}"]`).classList.toggle('active', v === name);
    }
    if (missing.length && name !== 'runs') return;
    // Monaco (3 MB) loads when the editor is first shown, so opening a report first stays fast.
    if (name === 'editor' && !editorStarted) { editorStarted = true; views.editor.init(); }
    try {
      await views[name].show(route.args, route.query);
    } catch (e) {
      console.error(e);
    }
  });

  document.addEventListener('keydown', (e) => {
    const mod = e.ctrlKey || e.metaKey;
    const view = VIEWS.find((v) => !document.getElementById(`view-${v}`).hidden);
    if (mod && e.key.toLowerCase() === 's' && view === 'editor') { e.preventDefault(); views.editor.save(); }
    if (mod && e.key === 'Enter') {
      if (view === 'editor') { e.preventDefault(); views.editor.runBacktest(); }
      if (view === 'backtest') { e.preventDefault(); views.backtest.form.submit(); }
      if (view === 'optimize') { e.preventDefault(); views.optimize.form.base.submit(); }
    }
    if (e.altKey && ['1', '2', '3', '4'].includes(e.key)) { e.preventDefault(); navigate(`#/${VIEWS[Number(e.key) - 1]}`); }
  });

  const ws = document.getElementById('ws-status');
  onSocketStatus((s) => { ws.textContent = s === 'open' ? 'live' : s; ws.className = `ws ${s}`; });
  // The header's engine line stays live: refreshed every 2 s while the page is visible.
  const info = document.getElementById('engine-info');
  const refreshEngine = () => api.engine().then((e) => {
    info.textContent = `engine ${e.version} · ${e.workers ? `${e.workers.busy}/${e.workers.max} workers busy` : ''}`;
    info.dataset.busy = e.workers ? String(e.workers.busy) : '';
  }).catch((e) => {
    info.textContent = `server unreachable: ${e.message}`;
    info.dataset.busy = '';
  });
  refreshEngine();
  setInterval(() => { if (!document.hidden) refreshEngine(); }, 2000);

  start();
}

main();
