import Foundation
import Testing
import TradelabCore
@testable import TradelabData

/// A small deterministic generator for the fuzz variants.
private struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Reads thousands of damaged copies of `original` with `read`: truncated at every length in the
/// footer region and at a stride of lengths elsewhere, with single-byte changes anywhere and
/// concentrated on the footer (Thrift metadata), and with several footer bytes changed at once.
/// Each must read or throw a ``DataFileError`` naming `name`, never trap; over a thousand must throw.
func expectDamagedCopiesThrowOrRead(_ original: [UInt8], name: String, read: ([UInt8]) throws(DataFileError) -> Void) {
    var loaded = 0, failed = 0
    func attempt(_ bytes: [UInt8]) {
        do throws(DataFileError) {
            try read(bytes)
            loaded += 1
        } catch {
            failed += 1
            #expect(error.description.hasPrefix(name + ": "))
        }
    }
    var rng = SplitMix(state: 0x7A3D_11)
    let n = original.count
    for length in stride(from: 0, to: n, by: 13) { attempt(Array(original[..<length])) }
    for length in max(0, n - 2_000)..<n { attempt(Array(original[..<length])) }
    for k in 0..<4_000 {
        var bytes = original
        let at = k % 2 == 0 ? rng.below(n) : n - 1 - rng.below(min(n, 1_500))
        bytes[at] = k % 3 == 0 ? bytes[at] ^ UInt8(1 << rng.below(8)) : UInt8(rng.below(256))
        attempt(bytes)
    }
    for _ in 0..<1_000 {
        var bytes = original
        for _ in 0..<(1 + rng.below(8)) { bytes[n - 1 - rng.below(min(n, 1_500))] = UInt8(rng.below(256)) }
        attempt(bytes)
    }
    #expect(loaded + failed >= 5_000)
    #expect(failed > 1_000)
}

@Suite("Parquet robustness")
struct ParquetRobustnessTests {
    @Test("Truncated and corrupted files throw or load, never trap", arguments: ["fuzz_v1.parquet", "fuzz_v2.parquet"])
    func testCorruptFilesNeverTrap(file: String) throws {
        let fixtures = try ParquetFixtures.get()
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixtures.path(file))))
        let clean = try ParquetLoader.parse(bytes: original, name: file)
        #expect(clean.loaded.bars.count == 300)

        expectDamagedCopiesThrowOrRead(original, name: file) { (bytes) throws(DataFileError) in
            _ = try ParquetLoader.parse(bytes: bytes, name: file)
        }
    }

    @Test("Random bytes with Parquet magic throw a malformed error")
    func testRandomBytesThrow() {
        var rng = SplitMix(state: 42)
        for size in [0, 1, 11, 12, 64, 4_096] {
            var bytes = (0..<size).map { _ in UInt8(rng.below(256)) }
            if size >= 12 {
                bytes.replaceSubrange(0..<4, with: Array("PAR1".utf8))
                bytes.replaceSubrange((size - 4)..<size, with: Array("PAR1".utf8))
            }
            let error = #expect(throws: DataFileError.self) { try ParquetLoader.parse(bytes: bytes, name: "random.parquet") }
            #expect(error?.reason.contains("Parquet") == true || error?.reason.contains("empty") == true, "\(error?.description ?? "")")
        }
    }

    @Test("Thrift: unknown fields of every kind are skipped")
    func testThriftSkipsUnknownFields() throws {
        // struct { 1: i32 = 7, 20: struct { 1: list<struct{1: map<string,i64>}>, 2: double, 3: bool }, 2: string "ab" }
        var w = ThriftCompactWriter()
        w.field(1, .i32); w.i32(7)
        w.field(20, .structure)
        w.field(1, .list); w.listHeader(.structure, count: 2)
        for _ in 0..<2 {
            w.beginStruct()
            w.field(1, .map)
            w.bytes.append(contentsOf: [0x01, 0x86]); w.binary(Array("k".utf8)); w.i64(-5)  // 1 entry, string -> i64
            w.stop()
        }
        w.field(2, .double); w.bytes.append(contentsOf: [UInt8](repeating: 0, count: 8))
        w.bool(3, true)
        w.stop()
        w.field(2, .binary); w.binary(Array("ab".utf8))
        w.stop()
        var i32 = Int32(0), text = ""
        try w.bytes.withUnsafeBufferPointer { b in
            var r = ThriftCompactReader(base: b.baseAddress!, start: 0, end: b.count)
            try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(ParquetError) -> Bool in
                switch f.id {
                case 1: i32 = try r.readI32()
                case 2: text = try r.readString()
                default: return false
                }
                return true
            }
            #expect(r.position == b.count)
        }
        #expect(i32 == 7 && text == "ab")
    }

    @Test("Thrift: nesting deeper than the limit is refused, not recursed into")
    func testThriftDepthLimit() {
        var bytes: [UInt8] = []
        for _ in 0..<10_000 { bytes.append(0x1C) }  // field delta 1, struct, over and over
        let error = bytes.withUnsafeBufferPointer { b -> ParquetError? in
            var r = ThriftCompactReader(base: b.baseAddress!, start: 0, end: b.count)
            do throws(ParquetError) {
                try r.skip(.structure)
                return nil
            } catch {
                return error
            }
        }
        #expect(error?.reason.contains("nested deeper") == true)
    }

    @Test("RLE/bit-packed hybrid decodes repeated and packed runs")
    func testHybridDecoding() throws {
        // RLE run of 3 x 5 (bit width 3), then one bit-packed group 0...7.
        let bytes: [UInt8] = [0x06, 0x05, 0x03, 0x88, 0xC6, 0xFA]
        var out = [UInt32](repeating: 99, count: 11)
        try bytes.withUnsafeBytes { b in
            try out.withUnsafeMutableBufferPointer { o in
                try RLEHybrid.decode(b, bitWidth: 3, count: 11, into: o.baseAddress!)
            }
        }
        #expect(out == [5, 5, 5, 0, 1, 2, 3, 4, 5, 6, 7])
        let short: [UInt8] = [0x06, 0x05]
        #expect(throws: ParquetError.self) {
            var o = [UInt32](repeating: 0, count: 4)
            try short.withUnsafeBytes { b in
                try o.withUnsafeMutableBufferPointer { try RLEHybrid.decode(b, bitWidth: 3, count: 4, into: $0.baseAddress!) }
            }
        }
    }
}
