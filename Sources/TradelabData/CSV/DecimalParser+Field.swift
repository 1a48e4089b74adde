extension DecimalParser {
    /// The loader's fast path for one unquoted field: `[-] digits [. digits]` starting at `i`,
    /// with at most 19 digits in all, read up to the first byte that is not part of it.
    ///
    /// Only Clinger's exact case is taken (mantissa `<= 2^53`, at most 22 fraction digits), so
    /// the value is bit-identical to ``parse(_:count:)`` on the same bytes. Anything else (a `+`,
    /// an exponent, more digits, no digit at all) returns nil and the caller re-reads the row on
    /// the general path. The caller checks that the byte at `end` ends the field.
    /// - Returns: The value and the index of the first byte after it, or nil.
    @inline(__always)
    static func parseFast(_ p: UnsafePointer<UInt8>, from i: Int, end n: Int) -> (value: Double, end: Int)? {
        var j = i
        let negative = j < n && p[j] == UInt8(ascii: "-")
        if negative { j += 1 }
        let digitsStart = j
        var mantissa: UInt64 = 0
        j = appendDigits(p, from: j, end: n, to: &mantissa)
        var digits = j - digitsStart
        var fractionDigits = 0
        if j < n && p[j] == UInt8(ascii: ".") {
            j += 1
            let fractionStart = j
            j = appendDigits(p, from: j, end: n, to: &mantissa)
            fractionDigits = j - fractionStart
            digits += fractionDigits
        }
        // 19 digits cannot overflow a UInt64; 2^53 and 10^22 keep the division exact-then-rounded.
        guard digits > 0, digits <= 19, mantissa <= 1 << 53, fractionDigits <= 22 else { return nil }
        let value = Double(mantissa) / exactPowerOfTen(fractionDigits)
        return (negative ? -value : value, j)
    }

    /// Appends the decimal digits at `i` (up to the first other byte or `n`) to `value`, wrapping
    /// on overflow (the fast paths bound the digit count themselves).
    /// - Returns: The index of the first byte after the digits.
    @inline(__always)
    static func appendDigits(_ p: UnsafePointer<UInt8>, from i: Int, end n: Int, to value: inout UInt64) -> Int {
        var j = i
        while j < n {
            let d = p[j] &- UInt8(ascii: "0")
            if d > 9 { break }
            value = value &* 10 &+ UInt64(d)
            j += 1
        }
        return j
    }
}
