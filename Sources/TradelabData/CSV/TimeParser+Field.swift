import TradelabCore

extension TimeParser {
    /// The loader's fast path for an epoch field: unsigned digits only (`1704067200000`), at most
    /// 18 of them, read up to the first non-digit.
    ///
    /// Gives the same milliseconds and unit as ``parseEpoch(_:count:unit:)`` on those digits;
    /// signs, fractions and exponents return nil (the caller re-reads the row on the general path).
    /// The caller checks that the byte at `end` ends the field.
    @inline(__always)
    static func parseEpochFast(_ p: UnsafePointer<UInt8>, from i: Int, end n: Int, unit forced: EpochUnit?) -> (ms: Int64, unit: EpochUnit, end: Int)? {
        var integer: UInt64 = 0
        let j = DecimalParser.appendDigits(p, from: i, end: n, to: &integer)
        guard j > i, j - i <= 18 else { return nil }
        let unit = forced ?? EpochUnit.detect(magnitude: integer)
        let ms: UInt64
        switch unit {
        case .seconds:
            guard integer <= UInt64(Int64.max) / 1000 - 1 else { return nil }
            ms = integer * 1000
        case .milliseconds: ms = integer
        case .microseconds: ms = integer / 1000
        case .nanoseconds: ms = integer / 1_000_000
        }
        return (Int64(ms), unit, j)
    }

    /// The loader's fast path for the fixed ISO 8601 forms `YYYY-MM-DD`,
    /// `YYYY-MM-DDTHH:MM:SS[.fff…][Z]` and `YYYY-MM-DD HH:MM:SS[.fff…][Z]`, read up to the first
    /// byte after them.
    ///
    /// Gives the same result as ``parseDateTime(_:count:)`` on those bytes (fractions below a
    /// millisecond floored); any other form (offsets, `24:00`, one-digit fields, `/` dates)
    /// returns nil and the caller re-reads the row on the general path. The caller checks that
    /// the byte at `end` ends the field.
    /// - Parameter cache: The last date seen (its 10 bytes and day number), reused while rows stay on one day.
    @inline(__always)
    static func parseISOFast(_ p: UnsafePointer<UInt8>, from i: Int, end n: Int, cache: inout ISODateCache) -> (ms: Int64, hasTime: Bool, end: Int)? {
        guard n - i >= 10 else { return nil }
        let raw = UnsafeRawPointer(p + i)
        let head = raw.loadUnaligned(as: UInt64.self), tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        let days: Int64
        if head == cache.head && tail == cache.tail {
            days = cache.days
        } else {
            guard p[i + 4] == UInt8(ascii: "-"), p[i + 7] == UInt8(ascii: "-"),
                  let year = fixedDigits(p, i, 4), let month = fixedDigits(p, i + 5, 2), let day = fixedDigits(p, i + 8, 2),
                  month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
            days = Int64(UTCTime.days(year: year, month: month, day: day))
            cache = ISODateCache(head: head, tail: tail, days: days)
        }
        var j = i + 10
        guard j < n, p[j] == UInt8(ascii: "T") || p[j] == UInt8(ascii: " ") else {
            return (days * 86_400_000, false, j)
        }
        guard n - j >= 9, p[j + 3] == UInt8(ascii: ":"), p[j + 6] == UInt8(ascii: ":"),
              let hour = fixedDigits(p, j + 1, 2), let minute = fixedDigits(p, j + 4, 2), let second = fixedDigits(p, j + 7, 2),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        j += 9
        var millis = 0
        if j < n && p[j] == UInt8(ascii: ".") {
            j += 1
            let start = j
            while j < n {
                let d = p[j] &- UInt8(ascii: "0")
                if d > 9 { break }
                if j - start < 3 { millis = millis * 10 + Int(d) }
                j += 1
            }
            guard j > start else { return nil }
            for _ in min(j - start, 3)..<3 { millis *= 10 }
        }
        if j < n && p[j] == UInt8(ascii: "Z") { j += 1 }
        let ms = days * 86_400_000 + Int64(((hour * 60 + minute) * 60 + second) * 1000 + millis)
        return (ms, true, j)
    }

    /// Exactly `width` digits at `i`, or nil.
    @inline(__always)
    static func fixedDigits(_ p: UnsafePointer<UInt8>, _ i: Int, _ width: Int) -> Int? {
        var value = 0
        for k in 0..<width {
            let d = p[i + k] &- UInt8(ascii: "0")
            if d > 9 { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }
}

/// The last date read by ``TimeParser/parseISOFast(_:from:end:cache:)``: its first 10 bytes and
/// its day number since 1970-01-01.
struct ISODateCache {
    /// Starts as `1970-01-01`, day 0, so that no unchecked bytes ever match.
    var head = UInt64(littleEndian: 0x2D31_302D_3037_3931)  // the bytes "1970-01-"
    var tail = UInt16(littleEndian: 0x3130)  // the bytes "01"
    var days: Int64 = 0
}
