/// Parses decimal numbers straight from bytes, without building a `String` per field.
///
/// Accepted grammar (the decimal subset of what `Double(String)` accepts):
/// `[+|-] digits [. digits] [(e|E) [+|-] digits]`, where either the integer or the fraction
/// digits may be empty but not both (`.5`, `5.`, `-0.25e-3`). No spaces, no `inf`/`nan`, no hex.
///
/// Results are always the correctly rounded `Double`, bit-identical to `Double(String)`:
/// - **Fast path (Clinger):** up to 19 significant digits are accumulated into a `UInt64`
///   mantissa `w` with a decimal exponent `e`. When `w <= 2^53` and `|e| <= 22`, both `w` and
///   `10^|e|` are exact doubles, so the single IEEE multiplication or division `w * 10^e` /
///   `w / 10^-e` is correctly rounded. Prices and volumes almost always take this path.
/// - **Slow path:** anything else (more than 19 significant digits, big exponents, huge
///   mantissas) is handed to `Double(Substring)` on a copy of the bytes, which is the correctly
///   rounded, locale-independent `strtod` of the standard library.
@usableFromInline
enum DecimalParser {
    /// Parses all of `count` bytes at `start` as one number.
    /// - Returns: The value, or nil when the bytes are not exactly one decimal number.
    @inlinable
    static func parse(_ start: UnsafePointer<UInt8>, count: Int) -> Double? {
        var i = 0
        guard count > 0 else { return nil }
        var negative = false
        if start[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        } else if start[0] == UInt8(ascii: "+") {
            i = 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var sawDigit = false
        var truncated = false

        // Integer digits.
        while i < count {
            let d = start[i] &- UInt8(ascii: "0")
            if d > 9 { break }
            sawDigit = true
            if mantissa == 0 && d == 0 {
                // Leading zero: not significant.
            } else if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                significant += 1
            } else {
                truncated = true
                exponent += 1
            }
            i += 1
        }
        // Fraction digits.
        if i < count && start[i] == UInt8(ascii: ".") {
            i += 1
            while i < count {
                let d = start[i] &- UInt8(ascii: "0")
                if d > 9 { break }
                sawDigit = true
                if mantissa == 0 && d == 0 {
                    exponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significant += 1
                    exponent -= 1
                } else {
                    truncated = true
                }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        // Exponent.
        if i < count && (start[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < count && (start[i] == UInt8(ascii: "-") || start[i] == UInt8(ascii: "+")) {
                expNegative = start[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            var expDigits = false
            while i < count {
                let d = start[i] &- UInt8(ascii: "0")
                if d > 9 { break }
                expDigits = true
                if value < 100_000 { value = value * 10 + Int(d) }
                i += 1
            }
            guard expDigits else { return nil }
            exponent += expNegative ? -value : value
        }
        guard i == count else { return nil }

        if mantissa == 0 && !truncated { return negative ? -0.0 : 0.0 }
        if !truncated && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            let w = Double(mantissa)
            let value = exponent < 0 ? w / exactPowerOfTen(-exponent) : w * exactPowerOfTen(exponent)
            return negative ? -value : value
        }
        return slowParse(start, count: count)
    }

    /// Parses a buffer as one number; see ``parse(_:count:)``.
    @inlinable
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
        return parse(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    }

    /// `10^n` for `0 <= n <= 22`: every one of these is exactly representable as a `Double`.
    @inlinable @inline(__always)
    static func exactPowerOfTen(_ n: Int) -> Double {
        powersOfTen.withUnsafeBufferPointer { $0[n] }
    }

    /// `10^0 ... 10^22`, a table rather than a `switch` (no jump per number).
    @usableFromInline
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The correctly rounded fallback: the standard library's locale-independent `strtod`.
    /// Only called on bytes that already matched the decimal grammar.
    @usableFromInline
    static func slowParse(_ start: UnsafePointer<UInt8>, count: Int) -> Double? {
        let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
        return Double(text)
    }
}
