// Small arithmetic pieces shared by several indicators. Each one fixes an operation order
// that the batch and streaming forms of an indicator must both use to stay bit-identical.

/// TA-Lib's true range: the largest of `high - low`, `|prevClose - high|` and
/// `|prevClose - low|`, compared in that order.
@inlinable @inline(__always)
func trueRange(high: Double, low: Double, previousClose: Double) -> Double {
    var greatest = high - low
    let toHigh = (previousClose - high).magnitude
    if toHigh > greatest { greatest = toHigh }
    let toLow = (previousClose - low).magnitude
    if toLow > greatest { greatest = toLow }
    return greatest
}

/// TA-Lib's scale-aware zero test (`TA_IS_ZERO_SCALED`, TA-Lib 0.8.1): `value` counts as zero
/// when it is within `1e-14` of `scale`, i.e. within ~90 ulp of the operands it came from.
@inlinable @inline(__always)
func isZero(_ value: Double, relativeTo scale: Double) -> Bool {
    value.magnitude <= 1e-14 * scale
}

/// TA-Lib's fixed-band zero test (`TA_IS_ZERO`, TA-Lib 0.8.1 band `1e-14`), used only on
/// dimensionless quantities (sums of directional indicators).
@inlinable @inline(__always)
func isZeroFixed(_ value: Double) -> Bool {
    -1e-14 < value && value < 1e-14
}

/// The typical price `(high + low + close) / 3`, summed left to right.
@inlinable @inline(__always)
func typicalPrice(high: Double, low: Double, close: Double) -> Double {
    (high + low + close) / 3
}

/// Fills `out[0..<count]` with NaN.
@inlinable @inline(__always)
func fillNaN(_ out: UnsafeMutableBufferPointer<Double>, upTo count: Int) {
    var i = 0
    while i < count {
        out[i] = .nan
        i += 1
    }
}

/// An array of `count` values written by `body`, which must initialise every element.
@inlinable @inline(__always)
func makeColumn(_ count: Int, _ body: (UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
    [Double](unsafeUninitializedCapacity: count) { out, initialized in
        body(out)
        initialized = count
    }
}
