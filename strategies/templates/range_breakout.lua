-- @name Range Breakout
-- @description Buys when the close breaks above the highest high of the last `period` bars and
-- @description closes the position when it breaks below the lowest low (a Donchian channel breakout).
-- @author Tradelab
-- @indicators donchian
-- @symbols BTCUSDT, ETHUSDT
-- @risk high
-- @param period 20 [5, 200] bars in the range
-- @param exit_period 10 [2, 200] bars in the range whose low closes the position

function on_init(ctx)
  -- A Donchian channel returns three lines: .upper (highest high), .middle and .lower (lowest low).
  entry = ta.donchian(params.period)
  exit = ta.donchian(params.exit_period)
end

function on_bar(ctx, bar)
  -- The channel at this bar includes this bar's own high and low, so a close can never be above
  -- it. Compare with the previous bar's channel instead: x[1] is x one bar ago.
  local high_before = entry.upper[1]
  local low_before = exit.lower[1]
  if high_before == nil or low_before == nil then return end   -- warm-up

  if ctx.position == 0 and bar.close > high_before then
    return "buy"
  end
  if ctx.position > 0 and bar.close < low_before then
    return "close"
  end
end
