-- @name SMA Cross
-- @description The native sma-cross strategy in Lua: buys when the fast SMA crosses above the slow
-- @description one and sells when it crosses below; trade for trade the same as --strategy sma-cross.
-- @author Tradelab
-- @indicators sma
-- @symbols BTCUSDT
-- @risk medium
-- @param fast 10 [1, 500] fast SMA period
-- @param slow 20 [1, 500] slow SMA period

function on_init(ctx)
  fast = ta.sma(params.fast)
  slow = ta.sma(params.slow)
end

function on_bar(ctx, bar)
  -- Strict crosses (below, then above), false while either average is warming up.
  if ta.crossover(fast, slow) then return "buy" end
  if ta.crossunder(fast, slow) then return "sell" end
end
