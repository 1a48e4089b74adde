-- @name My Strategy
-- @description Describe what the strategy does and when it trades.
-- @author Tradelab
-- @indicators sma
-- @symbols BTCUSDT
-- @risk medium
-- @param period 20 [2, 200] moving average period
--
-- The lines above are the header: the name and description shown in the app, the indicators
-- the script uses, and its tunable parameters (@param NAME DEFAULT [MIN, MAX] description).
-- Read a parameter as params.NAME.

-- on_init runs once, before the first bar. Declare indicators here: each ta.* call is computed
-- natively over the whole data set, once, and returns an object whose .value is the current bar's.
function on_init(ctx)
  ma = ta.sma(params.period)
end

-- on_bar runs after each bar closes. Return "buy", "sell", "revert", "close", "hold", or nothing
-- (which holds). Orders fill at the next bar's open, so the strategy never sees the future.
function on_bar(ctx, bar)
  -- Warm-up: an indicator has no value (nil) until it has seen enough bars.
  if ma.value == nil then return end

  -- Your rules go here. For example, to buy when the close is above the average:
  --   if ctx.position == 0 and bar.close > ma.value then return "buy" end
  return "hold"
end
