-- @name EMA Crossover
-- @description Buys when the fast EMA crosses above the slow one, sells on the cross below.
-- @author Tradelab
-- @indicators ema
-- @symbols BTCUSDT, ETHUSDT
-- @risk medium
-- @param fast 12 [2, 100] fast EMA period
-- @param slow 26 [5, 400] slow EMA period

-- Declare the two moving averages once; the engine computes them natively for every bar.
function on_init(ctx)
  fast = ta.ema(params.fast)
  slow = ta.ema(params.slow)
end

function on_bar(ctx, bar)
  -- During warm-up (the first `slow` bars) the averages have no value yet.
  if fast.value == nil or slow.value == nil then return end

  -- ta.crossover(a, b) is true on the bar where a moves from below b to above it.
  if ta.crossover(fast, slow) then return "buy" end
  if ta.crossunder(fast, slow) then return "sell" end
  -- Returning nothing means "hold": keep whatever position we have.
end
