-- @name MACD Signal Cross
-- @description Buys when the MACD line crosses above its signal line while above zero (an uptrend),
-- @description sells when it crosses below the signal line.
-- @author Tradelab
-- @indicators macd
-- @symbols BTCUSDT, ETHUSDT
-- @risk medium
-- @param fast 12 [2, 50] fast EMA period (keep it below slow)
-- @param slow 26 [5, 200] slow EMA period
-- @param signal 9 [2, 50] signal line EMA period

function on_init(ctx)
  -- ta.macd returns three lines: .macd (fast EMA - slow EMA), .signal (its EMA) and .hist
  -- (macd - signal).
  m = ta.macd(params.fast, params.slow, params.signal)
end

function on_bar(ctx, bar)
  -- The signal line is the last to warm up: it needs slow + signal - 1 bars.
  if m.macd.value == nil or m.signal.value == nil then return end

  if ta.crossover(m.macd, m.signal) and m.macd.value > 0 then
    return "buy"
  end
  if ta.crossunder(m.macd, m.signal) then
    return "sell"
  end
end
