-- @name Lifecycle Breakout
-- @description A breakout in the lifecycle style: detect_opportunity spots a close above the
-- @description previous high of the range, filter_commitment confirms it with volume, and
-- @description manage_position exits at an ATR stop or an ATR profit target.
-- @author Tradelab
-- @indicators donchian, atr, sma
-- @symbols BTCUSDT
-- @risk high
-- @param period 20 [5, 200] bars in the breakout range
-- @param volume_period 20 [2, 200] bars in the average volume
-- @param volume_ratio 1.5 [1.0, 5.0] breakout volume must exceed the average by this factor
-- @param stop_atr 2.0 [0.5, 10.0] stop distance below the entry, in ATRs
-- @param target_atr 4.0 [1.0, 20.0] profit target above the entry, in ATRs

function on_init(ctx)
  range = ta.donchian(params.period)
  atr = ta.atr(14)
  avg_volume = ta.sma(params.volume_period, "volume")   -- an SMA of the volume, not the close
end

-- Idle: is there a setup on this bar? Return a signal table, or nil.
function detect_opportunity(ctx, bar)
  -- The previous bar's range: this bar's own high is part of the current one.
  local high_before = range.upper[1]
  if high_before == nil or atr.value == nil then return nil end
  if bar.close > high_before then
    return { side = "buy", level = high_before, atr = atr.value }
  end
  return nil
end

-- Analyzing: commit to the signal (true) or let it go (false).
function filter_commitment(ctx, bar, signal)
  if avg_volume.value == nil then return false end
  return bar.volume > avg_volume.value * params.volume_ratio
end

-- In a position: nil holds; a string closes the position, with that string as the exit reason.
function manage_position(ctx, bar, position)
  local entry, distance = ctx.entry_price, atr.value
  if entry == nil or distance == nil then return nil end
  if bar.close < entry - params.stop_atr * distance then return "stop" end
  if bar.close > entry + params.target_atr * distance then return "target" end
  return nil
end
