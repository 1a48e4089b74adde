// Loads the third-party libraries that scripts/setup_web.sh extracts into web/vendor/ (served at
// /vendor/): Monaco 0.33 through its AMD loader, Lightweight Charts 4.1.3 as a standalone script.

const MONACO_BASE = '/vendor/monaco/vs';
const LWC_SRC = '/vendor/lightweight-charts/lightweight-charts.js';

/** Resolves to the list of missing vendor files (empty when all are there). */
export async function missingVendorFiles() {
  const files = [`${MONACO_BASE}/loader.js`, LWC_SRC];
  const missing = [];
  await Promise.all(files.map(async (f) => {
    try {
      const res = await fetch(f, { method: 'HEAD' });
      if (!res.ok) missing.push(f);
    } catch {
      missing.push(f);
    }
  }));
  return missing;
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

let chartsPromise = null;
/** window.LightweightCharts (v4.1 API). */
export function loadCharts() {
  if (!chartsPromise) {
    chartsPromise = window.LightweightCharts
      ? Promise.resolve(window.LightweightCharts)
      : loadScript(LWC_SRC).then(() => window.LightweightCharts);
  }
  return chartsPromise;
}

let monacoPromise = null;
/** The `monaco` namespace: the AMD require(['vs/editor/editor.main']) wrapped in a Promise. */
export function loadMonaco() {
  if (monacoPromise) return monacoPromise;
  monacoPromise = (async () => {
    // Workers are same-origin files, so script-src 'self' covers them.
    window.MonacoEnvironment = {
      getWorkerUrl: () => `${MONACO_BASE}/base/worker/workerMain.js`,
    };
    await loadScript(`${MONACO_BASE}/loader.js`);
    const amdRequire = window.require;
    amdRequire.config({ paths: { vs: MONACO_BASE } });
    return new Promise((resolve, reject) => {
      amdRequire(['vs/editor/editor.main'], () => resolve(window.monaco), reject);
    });
  })();
  return monacoPromise;
}
