-- @name Bollinger Bounce
-- @description Buys a close below the lower Bollinger band, expecting a return to the average, and
-- @description closes the position when the close is back at the middle band.
-- @author Tradelab
-- @indicators bbands
-- @symbols BTCUSDT, ETHUSDT
-- @risk medium
-- @param period 20 [5, 200] bars in the moving average and the standard deviation
-- @param width 2.0 [0.5, 4.0] distance of the outer bands, in standard deviations

function on_init(ctx)
  -- Bollinger bands are three lines: .upper, .middle (the SMA) and .lower.
  bands = ta.bbands(params.period, params.width)
end

function on_bar(ctx, bar)
  local lower, middle = bands.lower.value, bands.middle.value
  if lower == nil or middle == nil then return end   -- warm-up: not enough bars yet

  -- Stretched below the lower band: buy the dip.
  if ctx.position == 0 and bar.close < lower then
    return "buy"
  end

  -- Back to the average: the bounce has played out.
  if ctx.position > 0 and bar.close >= middle then
    return "close"
  end
end
