extension BarSeries {
    /// Aggregates the bars into a coarser timeframe aligned to UTC boundaries.
    ///
    /// Each output bar takes the first open, the highest high, the lowest low, the last close and
    /// the summed volume of the input bars whose open time falls in its bucket; features take the
    /// last value. A bucket with no input bar produces no output bar (gaps stay gaps).
    ///
    /// - Parameter timeframe: The target timeframe; it should be no finer than the input's.
    /// - Returns: The resampled series, timestamps at bucket starts.
    /// - Complexity: O(n).
    public func resampled(to timeframe: Timeframe) -> BarSeries {
        var ts: [Int64] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
        var features = featureColumns.map { _ in [Double]() }
        for i in 0..<count {
            let bucket = timeframe.bucketStart(timestamps[i])
            if ts.last != bucket {
                ts.append(bucket); o.append(open[i]); h.append(high[i]); l.append(low[i]); c.append(close[i]); v.append(volume[i])
                for f in features.indices { features[f].append(featureColumns[f][i]) }
            } else {
                let k = ts.count - 1
                h[k] = Swift.max(h[k], high[i]); l[k] = Swift.min(l[k], low[i]); c[k] = close[i]; v[k] += volume[i]
                for f in features.indices { features[f][k] = featureColumns[f][i] }
            }
        }
        return BarSeries(unchecked: ts, open: o, high: h, low: l, close: c, volume: v,
                         featureNames: featureNames, featureColumns: features)
    }
}
