-- @name ATR Trailing Stop
-- @description Goes long when the close is above its EMA trend line, with a protective stop-loss
-- @description placed by the broker at entry, then trails an exit `atr_mult` ATRs below the highest
-- @description close since the entry.
-- @author Tradelab
-- @indicators ema, atr
-- @symbols BTCUSDT, ETHUSDT
-- @risk medium
-- @param trend 50 [10, 400] EMA period of the trend filter
-- @param atr_period 14 [2, 100] ATR period
-- @param atr_mult 3.0 [0.5, 10.0] trailing distance, in ATRs
-- @param stop_pct 5.0 [0.5, 20.0] protective stop-loss below the entry price, in percent

function on_init(ctx)
  trend = ta.ema(params.trend)
  atr = ta.atr(params.atr_period)
end

function on_bar(ctx, bar)
  if trend.value == nil or atr.value == nil then return end

  if ctx.position == 0 then
    ctx.state.highest = nil
    if bar.close > trend.value then
      -- All equity, with a stop-loss stop_pct percent below the fill price: the broker closes
      -- the trade intrabar if the price gets there, whatever on_bar does.
      trade.buy{ size = 1, sl_pct = params.stop_pct }
    end
    return
  end

  -- In a long position: remember the highest close (ctx.state keeps values between bars) ...
  local highest = math.max(ctx.state.highest or bar.close, bar.close)
  ctx.state.highest = highest

  -- ... and leave when the close falls atr_mult ATRs below it.
  if bar.close < highest - params.atr_mult * atr.value then
    return "close"
  end
end
