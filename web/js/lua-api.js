// What the editor knows about the strategy API (docs/lua-api.md, docs/indicators.md): the names
// and signatures offered by autocomplete.

export const INDICATORS = [
  { name: 'sma', params: 'period=20, source="close"', outputs: null, doc: 'Simple moving average.' },
  { name: 'ema', params: 'period=20, source="close"', outputs: null, doc: 'Exponential moving average.' },
  { name: 'wma', params: 'period=20, source="close"', outputs: null, doc: 'Weighted moving average.' },
  { name: 'hma', params: 'period=20, source="close"', outputs: null, doc: 'Hull moving average.' },
  { name: 'rsi', params: 'period=14, source="close"', outputs: null, doc: 'Relative strength index (0..100).' },
  { name: 'macd', params: 'fast=12, slow=26, signal=9, source="close"', outputs: ['macd', 'signal', 'hist'], doc: 'MACD line, signal line and histogram.' },
  { name: 'bbands', params: 'period=20, multiplier=2, source="close"', outputs: ['upper', 'middle', 'lower'], doc: 'Bollinger Bands (SMA ± multiplier × σ).' },
  { name: 'atr', params: 'period=14', outputs: null, doc: 'Average true range.' },
  { name: 'stoch', params: 'fast_k=14, slow_k=3, slow_d=3', outputs: ['k', 'd'], doc: 'Stochastic %K / %D.' },
  { name: 'adx', params: 'period=14', outputs: null, doc: 'Average directional index.' },
  { name: 'cci', params: 'period=20, source="close"', outputs: null, doc: 'Commodity channel index.' },
  { name: 'roc', params: 'period=10, source="close"', outputs: null, doc: 'Rate of change.' },
  { name: 'obv', params: '', outputs: null, doc: 'On-balance volume.' },
  { name: 'vwap', params: '', outputs: null, doc: 'Session VWAP anchored to the UTC day.' },
  { name: 'donchian', params: 'period=20', outputs: ['upper', 'middle', 'lower'], doc: 'Donchian channel.' },
  { name: 'keltner', params: 'period=20, multiplier=2', outputs: ['upper', 'middle', 'lower'], doc: 'Keltner channel (EMA ± multiplier × ATR).' },
];

export const TA_FUNCTIONS = [
  { name: 'crossover', params: 'a, b', doc: 'a was below b on the previous bar and is above it now (indicators or numbers).' },
  { name: 'crossunder', params: 'a, b', doc: 'a was above b on the previous bar and is below it now.' },
];

export const CTX_FIELDS = [
  ['symbol', 'what the run is on'], ['timeframe', 'bar timeframe of the run'],
  ['position', 'signed units held (negative when short)'], ['cash', 'cash'],
  ['equity', 'cash plus positions at this close'], ['unrealized_pnl', 'open profit at this close'],
  ['realized_pnl', 'profit of closed trades, net of fees'], ['entry_price', 'average entry price (nil when flat)'],
  ['open_trades', 'trades open now'], ['step', '1 on the first bar, 2 on the second, ...'],
  ['state', 'a table of your own that persists from bar to bar'],
];

export const BAR_FIELDS = [
  ['ts', 'bar open time, UTC milliseconds'], ['time', 'bar open time, UTC milliseconds'],
  ['open', 'open price'], ['high', 'high price'], ['low', 'low price'], ['close', 'close price'],
  ['volume', 'volume'], ['index', '0-based position of the bar in the data'],
];

export const TRADE_FUNCTIONS = [
  { name: 'buy', params: '{size=, qty=, cash=, sl=, tp=, sl_pct=, tp_pct=, limit=, stop=}', doc: 'Go long: a fraction of equity in (0, 1] or an options table.' },
  { name: 'sell', params: '{size=, qty=, cash=, sl=, tp=, sl_pct=, tp_pct=, limit=, stop=}', doc: 'Sell / go short: a fraction of equity or an options table.' },
  { name: 'revert', params: '', doc: 'Reverse the position.' },
  { name: 'close', params: '', doc: 'Close the position.' },
];

export const LUA_KEYWORDS = ['and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if', 'in',
  'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while'];

export const GLOBALS = [
  ['on_init', 'function on_init(ctx)\n\t$0\nend', 'runs once before the first bar: declare indicators here'],
  ['on_bar', 'function on_bar(ctx, bar)\n\t$0\nend', 'runs after each bar closes; return "buy", "sell", "revert", "close", "hold" or nil'],
  ['detect_opportunity', 'function detect_opportunity(ctx, bar)\n\t$0\nend', 'lifecycle: return a signal when flat'],
  ['filter_commitment', 'function filter_commitment(ctx, bar, signal)\n\treturn true\nend', 'lifecycle: true to enter on the signal'],
  ['manage_position', 'function manage_position(ctx, bar, position)\n\t$0\nend', 'lifecycle: return a reason to close'],
  ['log', 'log($0)', 'write a line to the run log'],
  ['math', 'math', 'Lua math library'], ['string', 'string', 'Lua string library'], ['table', 'table', 'Lua table library'],
  ['pairs', 'pairs($0)', ''], ['ipairs', 'ipairs($0)', ''], ['tostring', 'tostring($0)', ''], ['tonumber', 'tonumber($0)', ''],
];

export const PRICE_SOURCES = ['open', 'high', 'low', 'close', 'volume', 'hl2', 'hlc3', 'ohlc4'];
