import Foundation
import Testing
import TradelabCore
@testable import TradelabData

/// The loader's fast paths (numbers, epochs and ISO date-times straight from the bytes; two
/// chunks on two threads) must give exactly what the general path gives, errors included.
@Suite struct CSVFastPathTests {
    // MARK: Field parsers

    /// Runs `body` on `text` followed by a separator, as the row reader sees a field.
    func withField<R>(_ text: String, _ body: (UnsafePointer<UInt8>, Int, Int) -> R) -> R {
        let bytes = Array((text + ",").utf8)
        return bytes.withUnsafeBufferPointer { body($0.baseAddress!, text.utf8.count, bytes.count) }
    }

    func fastDecimal(_ text: String) -> Double? {
        withField(text) { p, count, n in
            guard let r = DecimalParser.parseFast(p, from: 0, end: n), r.end == count else { return nil }
            return r.value
        }
    }

    @Test func fastDecimalAgreesWithTheGeneralParserOnRandomValues() {
        var rng = SplitMix64(seed: 42)
        var fast = 0
        for _ in 0..<300_000 {
            let integerDigits = Int(rng.next() % 12), fractionDigits = Int(rng.next() % 12)
            var text = rng.next() % 5 == 0 ? "-" : ""
            for _ in 0..<integerDigits { text.append(Character(String(rng.next() % 10))) }
            if fractionDigits > 0 || rng.next() % 4 == 0 { text += "." }
            for _ in 0..<fractionDigits { text.append(Character(String(rng.next() % 10))) }
            let general = withField(text) { p, count, _ in DecimalParser.parse(p, count: count) }
            #expect(general?.bitPattern == Double(text)?.bitPattern, "'\(text)'")
            if let value = fastDecimal(text) {
                fast += 1
                #expect(value.bitPattern == general?.bitPattern, "'\(text)': fast \(value), general \(String(describing: general))")
            } else {
                // Only forms outside the fast grammar or its exact range may fall back.
                let digits = text.filter(\.isNumber).count
                #expect(digits == 0 || digits > 15, "'\(text)' should take the fast path")
            }
        }
        #expect(fast > 250_000)
    }

    @Test(arguments: [
        "0", "-0", "0.0", ".5", "5.", "-.5", "42000.01", "9007199254740992", "9007199254740993", "0.9007199254740993",
        "1234567890123456789", "12345678901234567890", "0.0000000000000000000001", "0.00000000000000000000001",
        "1e5", "+1", "-", ".", "", "1.2.3", "--1", "1-",
    ])
    func fastDecimalEdgeCases(text: String) {
        let general = withField(text) { p, count, _ in DecimalParser.parse(p, count: count) }
        if let value = fastDecimal(text) {
            #expect(value.bitPattern == general?.bitPattern, "'\(text)'")
        }
    }

    @Test func fastEpochAgreesWithTheGeneralParser() {
        var rng = SplitMix64(seed: 7)
        let units: [EpochUnit?] = [nil, .seconds, .milliseconds, .microseconds, .nanoseconds]
        for k in 0..<100_000 {
            let digits = 1 + Int(rng.next() % 19)
            var text = ""
            for _ in 0..<digits { text.append(Character(String(rng.next() % 10))) }
            let unit = units[k % units.count]
            let general = withField(text) { p, count, _ in TimeParser.parseEpoch(p, count: count, unit: unit) }
            let fast = withField(text) { p, count, n -> (ms: Int64, unit: EpochUnit)? in
                guard let r = TimeParser.parseEpochFast(p, from: 0, end: n, unit: unit), r.end == count else { return nil }
                return (r.ms, r.unit)
            }
            if let fast {
                #expect(fast.ms == general?.ms && fast.unit == general?.unit, "'\(text)' unit \(String(describing: unit))")
            } else {
                #expect(digits > 18 || general == nil, "'\(text)' should take the fast path")
            }
        }
    }

    @Test func fastISOAgreesWithTheGeneralParser() {
        var rng = SplitMix64(seed: 9)
        var cache = ISODateCache()
        var fastCount = 0
        for k in 0..<200_000 {
            // Mostly valid dates, some invalid days, months, hours; several shapes.
            let year = 1900 + Int(rng.next() % 250), month = Int(rng.next() % 13), day = Int(rng.next() % 32)
            let hour = Int(rng.next() % 25), minute = Int(rng.next() % 61), second = Int(rng.next() % 61)
            func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
            var text = "\(year)-\(two(month))-\(two(day))"
            switch k % 6 {
            case 0: break
            case 1: text += "T\(two(hour)):\(two(minute)):\(two(second))Z"
            case 2: text += " \(two(hour)):\(two(minute)):\(two(second))"
            case 3: text += "T\(two(hour)):\(two(minute)):\(two(second)).\(rng.next() % 1_000_000)"
            case 4: text += "T\(two(hour)):\(two(minute)):\(two(second))+02:00"
            default: text += " \(two(hour)):\(two(minute))"
            }
            let general = withField(text) { p, count, _ in TimeParser.parseDateTime(p, count: count) }
            let fast = withField(text) { p, count, n -> (ms: Int64, hasTime: Bool)? in
                guard let r = TimeParser.parseISOFast(p, from: 0, end: n, cache: &cache), r.end == count else { return nil }
                return (r.ms, r.hasTime)
            }
            if let fast {
                fastCount += 1
                #expect(fast.ms == general?.ms && fast.hasTime == general?.hasTime, "'\(text)'")
            }
        }
        #expect(fastCount > 50_000)
    }

    // MARK: Whole files: fast path and two chunks against the general path in one go

    /// Parses `text` three ways: general path only, in one go; fast path, in one go; fast path
    /// in two chunks (forced even for small inputs). All must agree, results and errors.
    func expectAllWaysAgree(_ text: String, loads: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(text.utf8)
        func load(_ tuning: CSVReader.Tuning) -> Result<LoadedBars, DataFileError> {
            bytes.withUnsafeBytes { raw in
                Result { () throws(DataFileError) in try CSVLoader.parse(bytes: raw, name: "f.csv", options: .init(), tuning: tuning) }
            }
        }
        let general = load(CSVReader.Tuning(parallelMinimum: .max, fastRows: false))
        let fast = load(CSVReader.Tuning(parallelMinimum: .max, fastRows: true))
        let chunked = load(CSVReader.Tuning(parallelMinimum: 0, fastRows: true))
        let chunkedGeneral = load(CSVReader.Tuning(parallelMinimum: 0, fastRows: false))
        if case .failure(let error) = general, loads { Issue.record("does not load: \(error)", sourceLocation: sourceLocation) }
        #expect(Self.same(fast, general), sourceLocation: sourceLocation)
        #expect(Self.same(chunked, general), sourceLocation: sourceLocation)
        #expect(Self.same(chunkedGeneral, general), sourceLocation: sourceLocation)
    }

    /// Equal results (feature values compared by bits, so NaN equals NaN), or equal errors.
    static func same(_ a: Result<LoadedBars, DataFileError>, _ b: Result<LoadedBars, DataFileError>) -> Bool {
        switch (a, b) {
        case (.failure(let x), .failure(let y)): return x == y
        case (.success(var x), .success(var y)):
            let fx = x.bars.featureColumns.map { $0.map(\.bitPattern) }, fy = y.bars.featureColumns.map { $0.map(\.bitPattern) }
            guard fx == fy, x.bars.featureNames == y.bars.featureNames else { return false }
            let strip = { (bars: BarSeries) in
                try! BarSeries(timestamps: bars.timestamps, open: bars.open, high: bars.high, low: bars.low,
                               close: bars.close, volume: bars.volume)
            }
            x.bars = strip(x.bars)
            y.bars = strip(y.bars)
            return x == y
        default: return false
        }
    }

    static func rows(_ count: Int, from start: Int = 0, time: (Int) -> String) -> String {
        (start..<start + count).map { k in
            let o = 100 + Double(k % 7), c = 100 + Double(k % 5) + 0.25
            return "\(time(k)),\(o),\(max(o, c) + 1.5),\(min(o, c) - 0.125),\(c),\(Double(k % 11) * 0.5)"
        }.joined(separator: "\n") + "\n"
    }

    static let header = "time,open,high,low,close,volume\n"
    static func epoch(_ k: Int) -> String { String(1_704_067_200_000 + Int64(k) * 60_000) }
    static func iso(_ k: Int) -> String { TimeParser.iso8601(1_704_067_200_000 + Int64(k) * 60_000) }

    @Test func plainFilesAgree() {
        expectAllWaysAgree(Self.header + Self.rows(2_000, time: Self.epoch))
        expectAllWaysAgree(Self.header + Self.rows(2_000, time: Self.iso))
        expectAllWaysAgree(Self.header + Self.rows(2_000, time: { Self.iso($0).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "") }))
        expectAllWaysAgree((Self.header + Self.rows(500, time: Self.iso)).replacingOccurrences(of: "\n", with: "\r\n"))
        expectAllWaysAgree(Self.rows(500, time: Self.epoch))  // headerless
        expectAllWaysAgree(Self.header + "1704067200000,1,1,1,1,1\n")  // one row: nothing to split
        // No volume column, with and without a header: volumes are 0 on both paths.
        let noVolume = Self.rows(300, time: Self.epoch).split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") }
        expectAllWaysAgree("time,open,high,low,close\n" + noVolume.joined(separator: "\n") + "\n")
        expectAllWaysAgree(noVolume.joined(separator: "\n") + "\n")
    }

    @Test func mixedFastAndGeneralRowsAgree() {
        var lines = Self.rows(3_000, time: Self.iso).split(separator: "\n").map(String.init)
        var rng = SplitMix64(seed: 3)
        for k in lines.indices where rng.next() % 5 == 0 {
            var fields = lines[k].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            switch rng.next() % 8 {
            case 0: fields[1] = "\"\(fields[1])\""
            case 1: fields[2] = " \(fields[2]) "
            case 2: fields[5] = ""  // empty volume
            case 3: fields[3] = fields[3] + "e0"
            case 4: fields[0] = fields[0].replacingOccurrences(of: "Z", with: "+00:00")
            case 5: lines[k] += "\n"  // blank line after
            case 6: fields[4] = "+" + fields[4]
            default: fields[0] = fields[0].replacingOccurrences(of: "T", with: "t")
            }
            if !lines[k].hasSuffix("\n") { lines[k] = fields.joined(separator: ",") }
        }
        expectAllWaysAgree(Self.header + lines.joined(separator: "\n") + "\n")
    }

    @Test func quotedNewlinesAcrossEveryPossibleSplitAgree() {
        // A skipped text column whose quoted values span lines; the split lands in them.
        let head = "time,note,open,high,low,close,volume\n"
        for size in [4, 5, 6, 7, 9, 12] {
            var text = head
            for k in 0..<size {
                let note = k % 2 == 0 ? "\"line one\nline two, with a comma\n\"\"quoted\"\"\"" : "plain"
                text += "\(Self.epoch(k)),\(note),100,101,99,100.5,\(k)\n"
            }
            expectAllWaysAgree(text)
        }
    }

    @Test func featuresDroppedInEitherChunkAgree() {
        let head = "time,open,high,low,close,volume,spread,label\n"
        for bad in [3, 450, 998] {
            var text = head
            for k in 0..<1_000 {
                let label = k == bad ? "abc" : "\(k % 3)"
                text += "\(Self.epoch(k)),100,101,99,100.5,1,\(k % 4 == 0 ? "" : "0.5"),\(label)\n"
            }
            expectAllWaysAgree(text)
        }
    }

    @Test func firstErrorByLineWinsInEitherChunk() {
        let good = Self.rows(1_000, time: Self.epoch).split(separator: "\n").map(String.init)
        for badLines in [[10], [900], [10, 900], [499, 501], [999]] {
            var lines = good
            for b in badLines { lines[b] = lines[b].replacingOccurrences(of: ",100", with: ",abc") }
            expectAllWaysAgree(Self.header + lines.joined(separator: "\n") + "\n", loads: false)
        }
        // Validation errors (after parsing) and a field-count error late in the file.
        var lines = good
        lines[20] = "\(Self.epoch(20)),100,99,98,100,1"  // open above high
        expectAllWaysAgree(Self.header + lines.joined(separator: "\n") + "\n", loads: false)
        lines[950] = "\(Self.epoch(950)),100,101,99"
        expectAllWaysAgree(Self.header + lines.joined(separator: "\n") + "\n", loads: false)
        lines = good
        lines[700] = lines[699]  // duplicate time in the second chunk
        expectAllWaysAgree(Self.header + lines.joined(separator: "\n") + "\n", loads: false)
    }

    @Test func descendingAndBinanceFilesAgree() {
        expectAllWaysAgree(Self.header + Self.rows(800, time: Self.epoch).split(separator: "\n").reversed().joined(separator: "\n") + "\n")
        let binance = (0..<600).map { k in
            "\(Self.epoch(k)),100.5,101,99,100,12.5,\(1_704_067_200_000 + Int64(k) * 60_000 + 59_999),1254.5,17,6.25,627.1,0"
        }.joined(separator: "\n") + "\n"
        expectAllWaysAgree(binance)
    }

    @Test func shortEstimatesGrowTheColumns() {
        // Short first lines, then long ones: the row estimate is far too high, then too low.
        var text = Self.header + Self.rows(50, time: Self.epoch)
        for k in 50..<3_000 {
            text += "\(Self.epoch(k)),100.000000001,101.000000001,99.000000001,100.500000001,123456.123456789\n"
        }
        expectAllWaysAgree(text)
        text = Self.header + (0..<3_000).map { k in
            k < 40 ? "\(Self.epoch(k)),100.000000001,101.000000001,99.000000001,100.500000001,123456.123456789" : "\(Self.epoch(k)),1,1,1,1,1"
        }.joined(separator: "\n")
        expectAllWaysAgree(text)
    }
}
