-- @name RSI Mean Reversion
-- @description Buys when the RSI drops below the oversold level and closes the position once the
-- @description RSI recovers above the exit level.
-- @author Tradelab
-- @indicators rsi
-- @symbols BTCUSDT, ETHUSDT
-- @risk medium
-- @param period 14 [2, 50] RSI period
-- @param oversold 30 [5, 50] buy when the RSI falls below this level
-- @param exit_level 55 [40, 95] close the position when the RSI rises above this level

function on_init(ctx)
  -- The RSI moves between 0 and 100: low values follow a run of losing bars.
  rsi = ta.rsi(params.period)
end

function on_bar(ctx, bar)
  -- The RSI needs `period` bars before its first value.
  if rsi.value == nil then return end

  -- Flat and oversold: bet on a bounce.
  if ctx.position == 0 and rsi.value < params.oversold then
    return "buy"
  end

  -- Long and recovered: take the profit (or the loss) and wait for the next dip.
  if ctx.position > 0 and rsi.value > params.exit_level then
    return "close"
  end
end
