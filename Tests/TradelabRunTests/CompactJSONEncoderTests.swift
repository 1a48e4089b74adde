import Foundation
import Testing
@testable import TradelabRun

@Suite("Compact JSON encoder")
struct CompactJSONEncoderTests {
    struct Sample: Codable, Equatable {
        var a: Int
        var b: Double?
        var c: [String: Double]
        var d: [Inner]
        var e: String
    }
    struct Inner: Codable, Equatable { var x: Bool; var y: [Double] }

    @Test func valuesDecodeBackToThemselvesInDeclarationOrder() throws {
        let value = Sample(a: 1, b: nil, c: ["z": 1, "a": 0.1], d: [Inner(x: true, y: [1, 2.5, -0.0]), Inner(x: false, y: [])], e: "q\"\\\n\u{1}é")
        let bytes = try CompactJSONEncoder.encode(value)
        #expect(try JSONCoding.decode(Sample.self, from: Data(bytes)) == value)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"a":1,"c":{"a":0.1,"z":1},"d":[{"x":true,"y":[1,2.5,-0.0]},{"x":false,"y":[]}],"e":"q\"\\\n\u0001é"}"#)
    }
}
