-- @name Lifecycle Breakout
-- @description A breakout in the lifecycle style: detect_opportunity spots a close above the
-- @description previous high of the range, filter_commitment confirms it with volume, and
-- @description manage_position takes the profit at an ATR target or gives up after max_bars.
-- @author Tradelab
-- @indicators donchian, atr, sma
-- @symbols BTCUSDT
-- @risk high
-- @param period 20 [5, 200] bars in the breakout range
-- @param volume_period 20 [2, 200] bars in the average volume
-- @param volume_ratio 1.5 [1.0, 5.0] breakout volume must exceed the average by this factor
-- @param stop_atr 2.0 [0.5, 10.0] stop-loss distance below the breakout level, in ATRs
-- @param target_atr 4.0 [1.0, 20.0] profit target above the entry, in ATRs
-- @param max_bars 48 [1, 1000] close a position that has gone nowhere after this many bars

-- The engine moves between three states and calls one function in each:
--   Idle        -> detect_opportunity(ctx, bar)         a signal, or nil
--   Analyzing   -> filter_commitment(ctx, bar, signal)  true to enter, false to let it go
--   InPosition  -> manage_position(ctx, bar, position)  nil to hold, or a reason to close

function on_init(ctx)
  range = ta.donchian(params.period)
  atr = ta.atr(14)
  avg_volume = ta.sma(params.volume_period, "volume")   -- an SMA of the volume, not of the close
end

function detect_opportunity(ctx, bar)
  -- The previous bar's range: the current one includes this bar's own high.
  local high_before = range.upper[1]
  if high_before == nil or atr.value == nil then return nil end   -- warm-up
  if bar.close > high_before then
    -- A signal is a side plus the trade options of the entry: here a stop-loss level.
    return { side = "long", reason = "breakout", sl = high_before - params.stop_atr * atr.value }
  end
  return nil
end

function filter_commitment(ctx, bar, signal)
  -- Only breakouts on heavy volume: the average needs `volume_period` bars first.
  if avg_volume.value == nil then return false end
  return bar.volume > avg_volume.value * params.volume_ratio
end

function manage_position(ctx, bar, position)
  -- position has side, quantity, entry_price, unrealized_pnl and bars_held.
  if atr.value ~= nil and bar.close > position.entry_price + params.target_atr * atr.value then
    return "target"
  end
  if position.bars_held >= params.max_bars then
    return "time stop"
  end
  return nil   -- hold; the stop-loss from the signal is handled by the broker
end
