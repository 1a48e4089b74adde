import Foundation
import Testing
import TradelabCore
@testable import TradelabRun

@Suite("JSON tools")
struct JSONToolsTests {
    struct Numbers: Codable, Equatable { var values: [Double]; var optional: Double?; var metrics: PerformanceMetrics? }

    @Test func everyFiniteDoubleComesBackExactly() throws {
        var generator = SplitMix64(seed: 3)
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 1e15, 1e16, 123_456_789_012_345_678, 5e-324, .greatestFiniteMagnitude, -.leastNormalMagnitude]
        for _ in 0..<2000 {
            values.append(Double(bitPattern: generator.next()))
        }
        values = values.filter(\.isFinite)
        let decoded = try JSONCoding.decode(Numbers.self, from: JSONCoding.encode(Numbers(values: values, optional: nil, metrics: nil)))
        #expect(decoded.values.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func nonFiniteNumbersAreStrings() throws {
        let text = try CompactJSONEncoder.string(Numbers(values: [.nan, .infinity, -.infinity], optional: 2, metrics: nil))
        #expect(text == #"{"values":["NaN","Infinity","-Infinity"],"optional":2}"#)
    }

    @Test func foundationReadsWhatWeWrite() throws {
        let bars = try BarSeries(timestamps: [0, 60_000, 120_000], open: [1, 2, 3], high: [1, 2, 3], low: [1, 2, 3], close: [1, 2, 3],
                                 volume: [1, 1, 1])
        let metrics = try Backtester().run(NativeStrategy.buyAndHold(), on: bars).metrics()
        let value = Numbers(values: [1.5], optional: nil, metrics: metrics)
        let object = try JSONSerialization.jsonObject(with: JSONCoding.encode(value)) as? [String: Any]
        #expect(object?["metrics"] is [String: Any] && object?["optional"] == nil)
        #expect(try JSONCoding.decode(Numbers.self, from: JSONCoding.encode(value)) == value)
    }

    @Test func theScannerFindsMembersWithoutDecoding() {
        let text = #"{"a": "x\"}{", "b" :{"c":[1,{"d":"]"}],"e":null}, "f":-1.5e3 ,"g":true}"#
        let bytes = Array(text.utf8)
        let members = JSONObjectScanner.members(of: bytes)
        #expect(members.map { Set($0.keys) } == ["a", "b", "f", "g"])
        #expect(members.flatMap { $0["b"] }.map { String(decoding: bytes[$0], as: UTF8.self) } == #"{"c":[1,{"d":"]"}],"e":null}"#)
        #expect(members.flatMap { $0["f"] }.map { String(decoding: bytes[$0], as: UTF8.self) } == "-1.5e3")
        #expect(JSONObjectScanner.string(bytes, members!["a"]!) == nil)   // has an escape
        let inner = JSONObjectScanner.members(of: bytes, in: members!["b"]!)
        #expect(inner.map { Set($0.keys) } == ["c", "e"])
        for bad in [#"{"a":1"#, #"{"a" 1}"#, #"["a"]"#, #"{"a":1}x"#, #"{"a":"1}"#, "", "{"] {
            #expect(JSONObjectScanner.members(of: Array(bad.utf8)) == nil, "\(bad)")
        }
    }
}
