/// What the bar loop does with an account's figures after each bar: a backtest keeps them as
/// columns, a run that keeps only its metrics feeds them to ``EquityStatistics``. A generic
/// parameter of the loop, so each kind gets its own specialized loop.
protocol BarRecorder {
    /// Bars that can be recorded (indices `0..<capacity`).
    var capacity: Int { get }
    /// Records bar `i`'s equity, cash and signed position at its close.
    mutating func record(_ i: Int, equity: Double, cash: Double, position: Double)
}

/// Writes each bar's figures into preallocated columns.
struct ColumnRecorder: BarRecorder {
    let equity: UnsafeMutableBufferPointer<Double>
    let cash: UnsafeMutableBufferPointer<Double>
    let position: UnsafeMutableBufferPointer<Double>

    var capacity: Int { equity.count }

    @inline(__always)
    func record(_ i: Int, equity e: Double, cash c: Double, position p: Double) {
        equity[i] = e
        cash[i] = c
        position[i] = p
    }
}

/// Feeds each bar's figures to the equity statistics, keeping nothing bar-sized.
struct StatisticsRecorder: BarRecorder {
    var statistics: EquityStatistics
    let timestamps: UnsafeBufferPointer<Int64>

    var capacity: Int { timestamps.count }

    @inline(__always)
    mutating func record(_ i: Int, equity: Double, cash: Double, position: Double) {
        statistics.add(time: timestamps[i], equity: equity, position: position)
    }
}
