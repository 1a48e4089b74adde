import Foundation
import Testing
@testable import TradelabData

@Suite struct DecimalParserTests {
    func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { DecimalParser.parse(UnsafeRawBufferPointer($0)) }
    }

    /// Our result must be bit-identical to the standard library's correctly rounded parse.
    func expectSameAsStandardLibrary(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let ours = parse(text)
        let reference = Double(text)
        #expect(ours?.bitPattern == reference?.bitPattern, "'\(text)': parsed \(String(describing: ours)), Double(String) gives \(String(describing: reference))",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        "0", "-0", "0.0", "-0.0", "+0", "1", "-1", "+1.5", ".5", "5.", "-.5", "0.1", "0.2", "0.3", "0.30000000000000004",
        "1.1", "42000.01", "123456.789", "1e5", "1E5", "1e+5", "1e-5", "2.5e-3", "-7.25E+10",
        // Clinger's fast-path limits.
        "9007199254740992", "9007199254740993", "9007199254740991.5", "1e22", "1e23", "4.5e22", "1e-22", "1e-23",
        "123456789012345678", "1234567890123456789", "12345678901234567890", "99999999999999999999",
        // Many digits.
        "0.1000000000000000055511151231257827021181583404541015625",
        "3.14159265358979323846264338327950288419716939937510",
        "1.00000000000000000000000000000000000000001", "00000000000000000000000001.25",
        "0.000000000000000000000000000000000000000001",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "2.2250738585072012e-308",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309", "-1e400",
        // Subnormals and underflow.
        "4.9406564584124654e-324", "5e-324", "2.5e-324", "2.4703282292062328e-324", "1e-310", "1e-300", "1e-400",
        "0e999", "0.0e-999", "123e-2", "1234.5678e2", "7.2057594037927933e16", "9007199254740993e-1",
        "8.98846567431158e307", "0.00000000000000000000000001e26",
    ])
    func edgeCasesMatchStandardLibrary(text: String) {
        expectSameAsStandardLibrary(text)
    }

    @Test(arguments: ["", "-", "+", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-", "1.2.3", "1,5", " 1", "1 ", "abc",
                      "inf", "-inf", "nan", "NaN", "infinity", "0x10", "0x1p3", "--1", "+-1", "1e5.5", "1..2", "1_000", "١"])
    func rejectsWhatIsNotADecimalNumber(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func randomShortestFormsMatchStandardLibrary() {
        var rng = Xoshiro256StarStar(seed: 20240102)
        for _ in 0..<100_000 {
            // Random bit patterns: every magnitude, subnormals included.
            let value = Double(bitPattern: rng.next())
            guard value.isFinite else { continue }
            let text = value.description
            let parsed = parse(text)
            #expect(parsed?.bitPattern == value.bitPattern, "'\(text)'")
            if parsed?.bitPattern != value.bitPattern { return }
        }
    }

    @Test func randomDigitStringsMatchStandardLibrary() {
        var rng = Xoshiro256StarStar(seed: 7)
        var mismatches: [String] = []
        for _ in 0..<200_000 {
            var text = ""
            if rng.next() % 4 == 0 { text += "-" }
            let integerDigits = Int(rng.next() % 22)
            let fractionDigits = Int(rng.next() % 22)
            for _ in 0..<integerDigits { text += String(rng.next() % 10) }
            if fractionDigits > 0 || integerDigits == 0 {
                text += "."
                for _ in 0..<max(fractionDigits, integerDigits == 0 ? 1 : 0) { text += String(rng.next() % 10) }
            }
            if rng.next() % 3 == 0 {
                text += rng.next() % 2 == 0 ? "e" : "E-"
                text += String(rng.next() % 330)
            }
            if parse(text)?.bitPattern != Double(text)?.bitPattern { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func randomPricesWithFixedDecimalsMatchStandardLibrary() {
        var rng = Xoshiro256StarStar(seed: 99)
        var mismatches: [String] = []
        for _ in 0..<200_000 {
            let decimals = Int(rng.next() % 9)
            let magnitude = pow(10, Double(rng.next() % 12) - 4)
            let value = rng.nextUnitOpen() * magnitude
            let text = String(format: "%.\(decimals)f", value)
            if parse(text)?.bitPattern != Double(text)?.bitPattern { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func halfwayCasesNearFastPathBoundaryMatchStandardLibrary() {
        // 2^53 + odd: exactly halfway between two doubles, rounded to even.
        for k: UInt64 in [1, 3, 5, 7, 9, 11] {
            expectSameAsStandardLibrary(String((UInt64(1) << 53) + k))
            expectSameAsStandardLibrary(String((UInt64(1) << 54) + k))
            expectSameAsStandardLibrary(String((UInt64(1) << 53) + k) + "e-3")
        }
    }
}
