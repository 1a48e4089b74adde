// The stats cards of a run's summary. Each card carries the raw number in data-value, so tests
// (and curious users) can compare it with the API.

import { h } from './dom.js';
import { num, int, pct, money, duration, signClass } from './format.js';

// [key, label, formatter, colored]
const CARDS = [
  ['totalReturn', 'Total return', pct, true], ['meanReturn', 'Mean return', pct, true], ['medianReturn', 'Median return', pct, true],
  ['finalEquity', 'Final equity', money], ['cagr', 'CAGR', pct, true], ['buyAndHoldReturn', 'Price change (B&H, no fees)', pct, true], ['baselineReturn', 'Buy & hold (after fees)', pct, true],
  ['maxDrawdown', 'Max drawdown', pct, true], ['sharpeRatio', 'Sharpe', num], ['sortinoRatio', 'Sortino', num],
  ['calmarRatio', 'Calmar', num], ['winRate', 'Win rate', pct], ['profitFactor', 'Profit factor', num],
  ['tradeCount', 'Trades', int], ['totalTrades', 'Trades (all runs)', int], ['expectancy', 'Expectancy', money, true],
  ['exposure', 'Exposure', pct], ['averageHoldMilliseconds', 'Avg. hold', duration], ['commissions', 'Commissions', money],
  ['runs', 'Runs', int], ['profitableShare', 'Profitable runs', pct], ['returnStandardDeviation', 'Return σ', pct],
  ['meanMaxDrawdown', 'Mean max drawdown', pct, true], ['meanSharpeRatio', 'Mean Sharpe', num],
  ['bestRun', 'Best run', int], ['worstRun', 'Worst run', int], ['sqn', 'SQN', num],
];

/** The headline numbers of results (or of a session's summary, the same shape): the run's
 * metrics, or the randomized windows' aggregate, and the trade count over all runs. */
export function headline(results) {
  if (!results) return {};
  return Object.assign({}, results.metrics || {}, results.randomized || {},
    results.randomized ? { totalTrades: results.tradesTotal } : {},
    results.baseline && !results.baseline.runId ? { baselineReturn: results.baseline.totalReturn } : {});
}

export function statCards(results) {
  const s = headline(results);
  const cards = [];
  for (const [key, label, fmt, colored] of CARDS) {
    if (!(key in s) || typeof s[key] === 'object') continue;
    const v = s[key];
    // The best and worst runs are indices: show the run's return beside its number.
    const run = (key === 'bestRun' || key === 'worstRun') ? (results.runs || []).find((r) => r.run === v) : null;
    const text = run && run.metrics ? `#${v} (${pct(run.metrics.totalReturn)})` : fmt(v);
    // An optimization's model as baseline is named with its parameters.
    const shown = key === 'baselineReturn' && results.baseline.optimizationId ? `Tuned ${results.baseline.name}` : label;
    cards.push(h(`div.card${colored ? `.${signClass(v) || 'flat'}` : ''}`, { dataset: { testid: `stat-${key}`, key, value: v === null ? 'null' : String(v) } },
      h('div.card-label', null, shown), h('div.card-value', null, text)));
  }
  return h('div.cards', { dataset: { testid: 'stat-cards' } }, cards.length ? cards : h('p.hint', null, 'No summary yet.'));
}

