import Foundation
import Testing
import TradelabCore
@testable import TradelabData

@Suite("Parquet table robustness")
struct ParquetTableRobustnessTests {
    private func expectNoTrap(_ original: [UInt8], name: String) {
        expectDamagedCopiesThrowOrRead(original, name: name) { (bytes) throws(DataFileError) in
            _ = try ParquetTableReader.read(bytes: bytes, name: name)
        }
    }

    @Test("Damaged copies of our table files throw or read, never trap", arguments: [ParquetWriter.Compression.uncompressed, .zstd])
    func testOurFilesNeverTrap(compression: ParquetWriter.Compression) throws {
        let original = try ParquetWriter(compression: compression, rowGroupSize: 60, pageSize: 128).encode(try sampleTable(rows: 150))
        #expect(try ParquetTableReader.read(bytes: original, name: "ours.parquet").rowCount == 150)
        expectNoTrap(original, name: "ours.parquet")
    }

    @Test("Damaged copies of a pyarrow table (dictionary strings, RLE booleans, v2 pages) throw or read, never trap")
    func testPyarrowFileNeverTraps() throws {
        let fixtures = try ParquetFixtures.get()
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixtures.path("tables_fuzz.parquet"))))
        #expect(try ParquetTableReader.read(bytes: original, name: "tables_fuzz.parquet").rowCount == 200)
        expectNoTrap(original, name: "tables_fuzz.parquet")
    }

    @Test("Damaged strings: a length past the page and invalid UTF-8 are malformed, not repaired")
    func testDamagedStrings() throws {
        let table = try ParquetTable([(name: "s", column: .string(["abc", "défg"]))])
        let bytes = try ParquetWriter(compression: .uncompressed).encode(table)
        let at = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == [3, 0, 0, 0] })  // the length of "abc"
        var long = bytes
        long[at + 1] = 0x10
        let past = #expect(throws: DataFileError.self) { try ParquetTableReader.read(bytes: long, name: "s.parquet") }
        #expect(past?.description == "s.parquet: column 's': malformed Parquet: string 1 of 2 runs past its page")
        for bad: [UInt8] in [[0xFF], [0xC3, 0x28], [0xED, 0xA0], [0xE0, 0x80], [0xF4, 0x90]] {  // stray, cut, surrogate, overlong, > U+10FFFF
            var damaged = bytes
            damaged.replaceSubrange((at + 4)..<(at + 4 + bad.count), with: bad)
            let error = #expect(throws: DataFileError.self) { try ParquetTableReader.read(bytes: damaged, name: "s.parquet") }
            #expect(error?.description == "s.parquet: column 's': malformed Parquet: string 1 of 2 in its page is not valid UTF-8")
        }
    }

    @Test("UTF-8 validation accepts every well-formed sequence length and refuses the rest")
    func testUTF8Validation() {
        func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer(UTF8Validation.isValid) }
        #expect(valid([]) && valid(Array("plain ASCII, longer than eight bytes".utf8)))
        #expect(valid(Array("é € 😀 \u{10FFFF} \u{D7FF} \u{E000}".utf8)))
        for bad: [UInt8] in [[0x80], [0xC0, 0x80], [0xC2], [0xE2, 0x82], [0xF0, 0x8F, 0xBF, 0xBF], [0xF5, 0x80, 0x80, 0x80],
                             Array("12345678".utf8) + [0xE2, 0x28, 0xA1]] {
            #expect(!valid(bad), "\(bad)")
        }
    }
}
