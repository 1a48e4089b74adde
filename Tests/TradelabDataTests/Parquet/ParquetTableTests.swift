import Foundation
import Testing
import TradelabCore
@testable import TradelabData

/// A table with every column type, `rows` long: edge values first (Int64 bounds, a time before
/// 1970, NaN, ±inf, ±0.0, a subnormal, empty / non-ASCII / long strings), then seeded data.
func sampleTable(rows: Int, seed: UInt64 = 3) throws -> ParquetTable {
    var state = seed
    func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 11
    }
    let edgeDoubles: [Double] = [.nan, .infinity, -.infinity, -0.0, 0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
    let edgeTexts = ["", "Zürich → 東京 😀", String(repeating: "é", count: 200), "e\u{301}", "sell"]
    let sides = ["buy", "sell", "short", "cover"]
    let ids = (0..<rows).map { i -> Int64 in i == 0 ? .min : i == 1 ? .max : Int64(bitPattern: next() << 11) }
    let times = (0..<rows).map { i -> Int64 in i == 2 ? -1 : 1_704_067_200_000 + Int64(i) * 60_000 }
    let prices = (0..<rows).map { i in i < edgeDoubles.count ? edgeDoubles[i] : Double(next() % 1_000_000) / 100 }
    let sideColumn = (0..<rows).map { _ in sides[Int(next() % 4)] }
    let notes = (0..<rows).map { i in i < edgeTexts.count ? edgeTexts[i] : "order \(next() % 100_000)" }
    let flags = (0..<rows).map { _ in next() % 3 == 0 }
    return try ParquetTable([
        (name: "id", column: .int64(ids)), (name: "time", column: .timestampMillis(times)),
        (name: "price", column: .double(prices)), (name: "side", column: .string(sideColumn)),
        (name: "note", column: .string(notes)), (name: "flag", column: .bool(flags)),
    ])
}

/// The first difference between two tables, described, or nil when they are equal (a failed
/// expectation then names a column instead of printing both tables).
func tableDifference(_ got: ParquetTable, _ want: ParquetTable) -> String? {
    guard got.names == want.names else { return "names \(got.names), expected \(want.names)" }
    for (name, (a, b)) in zip(want.names, zip(got.columns, want.columns)) where a != b {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            let row = (0..<min(x.count, y.count)).first { !x[$0].utf8.elementsEqual(y[$0].utf8) }
            return "column \(name): \(x.count) vs \(y.count) values, first difference at row \(row.map(String.init) ?? "-")"
        default:
            return "column \(name): \(a.count) values differ from the expected \(b.count)"
        }
    }
    return nil
}

/// The footer of a file written in memory.
func footer(of bytes: [UInt8]) throws -> ParquetFooter {
    try bytes.withUnsafeBytes { try ParquetFooter(file: $0) }
}

/// How many data pages each column chunk of row group `group` holds.
func dataPages(in bytes: [UInt8], group: Int) throws -> [Int] {
    let metadata = try footer(of: bytes).metadata
    return try bytes.withUnsafeBufferPointer { b in
        try metadata.rowGroups[group].columns.map { chunk in
            let meta = chunk.metaData!
            var pos = Int(meta.dataPageOffset), pages = 0
            let end = pos + Int(meta.totalCompressedSize)
            while pos < end {
                var reader = ThriftCompactReader(base: b.baseAddress!, start: pos, end: end)
                let header = try ParquetPageHeader(reading: &reader)
                pos = reader.position + Int(header.compressedPageSize)
                pages += 1
            }
            return pages
        }
    }
}

@Suite("Parquet tables")
struct ParquetTableTests {
    @Test("Every column type round-trips through our reader, over row groups and pages", arguments: ParquetWriter.Compression.allCases)
    func testRoundTripEveryTypeAndCodec(compression: ParquetWriter.Compression) throws {
        let table = try sampleTable(rows: 2_345)
        let bytes = try ParquetWriter(compression: compression, rowGroupSize: 1_000, pageSize: 512).encode(table)
        let back = try ParquetTableReader.read(bytes: bytes, name: "t.parquet")
        #expect(tableDifference(back, table) == nil)
        #expect(back.names == ["id", "time", "price", "side", "note", "flag"])
        #expect(try footer(of: bytes).metadata.rowGroups.map(\.numRows) == [1_000, 1_000, 345])
        // 8-byte columns: 64 values a page; strings: pages of about 512 bytes; booleans fit one page.
        let pages = try dataPages(in: bytes, group: 0)
        #expect(pages[0] == 16 && pages[1] == 16 && pages[2] == 16)
        #expect(pages[3] > 5 && pages[4] > 5 && pages[5] == 1)
    }

    @Test("Edge values keep their bits and bytes: signed zeros, NaN, infinities, decomposed accents")
    func testEdgeValuesExact() throws {
        let table = try sampleTable(rows: 10)
        let back = try ParquetTableReader.read(bytes: try ParquetWriter(compression: .uncompressed).encode(table), name: "edge.parquet")
        guard case .double(let prices)? = back["price"], case .string(let notes)? = back["note"],
              case .int64(let ids)? = back["id"], case .timestampMillis(let times)? = back["time"] else {
            Issue.record("columns missing: \(back.names)")
            return
        }
        #expect(prices[0].isNaN && prices[1] == .infinity && prices[2] == -.infinity)
        #expect(prices[3].bitPattern == (-0.0 as Double).bitPattern && prices[4].bitPattern == 0)
        #expect(prices[5] == .leastNonzeroMagnitude && prices[6] == -.greatestFiniteMagnitude)
        #expect(ids[0] == .min && ids[1] == .max && times[2] == -1)
        #expect(notes[0].isEmpty && notes[1] == "Zürich → 東京 😀" && notes[2].utf8.count == 400)
        #expect(Array(notes[3].utf8) == [0x65, 0xCC, 0x81])  // not normalised to "é"
        // Equality is by stored bytes and bits.
        #expect(ParquetTable.Column.string(["e\u{301}"]) != .string(["\u{E9}"]))
        #expect(ParquetTable.Column.double([-0.0]) != .double([0.0]) && ParquetTable.Column.double([.nan]) == .double([.nan]))
        #expect(ParquetTable.Column.int64([1]) != .timestampMillis([1]))
    }

    @Test("Empty tables, tables without columns and one-row tables round-trip")
    func testSmallShapes() throws {
        let empty = try ParquetTable([
            (name: "id", column: .int64([])), (name: "time", column: .timestampMillis([])), (name: "price", column: .double([])),
            (name: "note", column: .string([])), (name: "flag", column: .bool([])),
        ])
        let none = try ParquetTable([])
        let one = try ParquetTable([(name: "note", column: .string([""])), (name: "flag", column: .bool([true])),
                                    (name: "price", column: .double([-0.0]))])
        for table in [empty, none, one] {
            for compression in ParquetWriter.Compression.allCases {
                let bytes = try ParquetWriter(compression: compression).encode(table)
                let back = try ParquetTableReader.read(bytes: bytes, name: "small.parquet")
                #expect(tableDifference(back, table) == nil, "\(table.names) \(compression)")
            }
        }
        #expect(empty.rowCount == 0 && none.rowCount == 0 && one.rowCount == 1)
        #expect(try footer(of: ParquetWriter().encode(empty)).metadata.rowGroups.isEmpty)
    }

    @Test("Chunk statistics: exact bounds, NaN left out, false < true, strings in UTF-8 byte order")
    func testStatistics() throws {
        let table = try ParquetTable([
            (name: "id", column: .int64([5, -3, 9])), (name: "time", column: .timestampMillis([10, 30, 20])),
            (name: "price", column: .double([.nan, 2.5, -1])), (name: "allNaN", column: .double([.nan, .nan, .nan])),
            (name: "zero", column: .double([0.0, 0.0, 0.0])), (name: "flag", column: .bool([true, true, true])),
            // Swift orders these as "é" < "éf" (canonically); their bytes order "e\u{301}f" first.
            (name: "text", column: .string(["\u{E9}", "e\u{301}f", "\u{E9}"])),
        ])
        let columns = try footer(of: ParquetWriter().encode(table)).metadata.rowGroups[0].columns.map { $0.metaData!.statistics! }
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        #expect(columns[0].minValue == le(Int64(-3)) && columns[0].maxValue == le(Int64(9)))
        #expect(columns[1].minValue == le(Int64(10)) && columns[1].maxValue == le(Int64(30)))
        #expect(columns[2].minValue == le((-1.0).bitPattern) && columns[2].maxValue == le(2.5.bitPattern) && columns[2].nanCount == 1)
        #expect(columns[3].minValue == nil && columns[3].nanCount == 3)
        #expect(columns[4].minValue == le((-0.0).bitPattern) && columns[4].maxValue == le(0.0.bitPattern))
        #expect(columns[5].minValue == [1] && columns[5].maxValue == [1] && columns[5].nanCount == nil)
        #expect(columns[6].minValue == Array("e\u{301}f".utf8) && columns[6].maxValue == Array("\u{E9}".utf8))
        #expect(columns.allSatisfy { $0.nullCount == 0 && $0.min == $0.minValue && $0.max == $0.maxValue })
    }

    @Test("Lengths and names are checked, naming the column")
    func testLengthAndNameErrors() {
        let short = #expect(throws: DataFileError.self) {
            try ParquetTable([(name: "a", column: .int64([1, 2, 3])), (name: "b", column: .bool([true, false]))])
        }
        #expect(short?.description == "table: column 'b': has 2 values for 3 rows")
        let repeated = #expect(throws: DataFileError.self) {
            try ParquetTable([(name: "a", column: .int64([1])), (name: "b", column: .string(["x"])), (name: "a", column: .double([1]))])
        }
        #expect(repeated?.description == "table: column 'a': the name is already taken by another column")
    }

    @Test("A file naming two columns alike is refused")
    func testDuplicateNamesInFileRefused() throws {
        var bytes = try ParquetWriter().encode(try ParquetTable([(name: "colA", column: .int64([1])), (name: "colB", column: .int64([2]))]))
        let b = Array("colB".utf8)
        let footerStart = bytes.count - 8 - bytes[(bytes.count - 8)..<(bytes.count - 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
        for i in footerStart..<(bytes.count - 8 - 4) where Array(bytes[i..<(i + 4)]) == b { bytes[i + 3] = UInt8(ascii: "A") }
        let error = #expect(throws: DataFileError.self) { try ParquetTableReader.read(bytes: bytes, name: "dup.parquet") }
        #expect(error?.description == "dup.parquet: column 'colA': the name is already taken by another column")
    }

    @Test("Bars are written through the table encoder and read back as a table")
    func testBarsAreTables() throws {
        let bars = try randomBars(count: 1_003, seed: 9)
        let extra: [(name: String, values: [Double])] = [("funding", (0..<bars.count).map { Double($0) / 3 })]
        let writer = ParquetWriter(rowGroupSize: 400, pageSize: 1_024)
        let bytes = try writer.encode(bars, extraColumns: extra)
        #expect(bytes == (try writer.encode(ParquetTable(bars: bars, extraColumns: extra, file: "bars.parquet"))))
        let table = try ParquetTableReader.read(bytes: bytes, name: "bars.parquet")
        #expect(table.names == ["time", "open", "high", "low", "close", "volume", "rsi", "funding"])
        #expect(table["time"] == .timestampMillis(bars.timestamps))
        #expect(table["close"] == .double(bars.close) && table["rsi"] == .double(bars.featureColumns[0]))
    }

    @Test("write(_:to:) is atomic, replaces the file, and reads back by path")
    func testWriteFileAtomically() throws {
        let table = try sampleTable(rows: 100)
        try withTemporaryDirectory { dir in
            let path = dir + "/trades.parquet"
            try "old".write(toFile: path, atomically: true, encoding: .utf8)
            try ParquetWriter(compression: .uncompressed).write(table, to: path)
            #expect(tableDifference(try ParquetTableReader.read(path: path), table) == nil)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["trades.parquet"])
            let missing = #expect(throws: DataFileError.self) { try ParquetTableReader.read(path: dir + "/none.parquet") }
            #expect(missing?.description.hasPrefix("none.parquet: file not found") == true)
            let unwritable = #expect(throws: DataFileError.self) { try ParquetWriter().write(table, to: dir + "/no/such/dir.parquet") }
            #expect(unwritable?.reason.hasPrefix("cannot write the file") == true)
        }
    }
}
