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

    struct Numbers: Codable, Equatable {
        var small: [Int8]; var short: [UInt16]; var word: [Int32]; var unsigned: [UInt32]; var big: [UInt64]
        var float: [Float]; var optional: [Double?]; var nested: [String: Inner]; var counts: [String: Int]
    }

    @Test func everyScalarTypeAndOtherDictionariesRoundTrip() throws {
        let value = Numbers(small: [-128, 127], short: [65_535], word: [-2_147_483_648], unsigned: [4_294_967_295], big: [UInt64.max],
                            float: [0.5, -3], optional: [nil, 2], nested: ["b": Inner(x: true, y: [1]), "a": Inner(x: false, y: [])],
                            counts: ["z": 1, "y": 2])
        let bytes = try CompactJSONEncoder.encode(value)
        #expect(try JSONCoding.decode(Numbers.self, from: Data(bytes)) == value)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""big":[18446744073709551615]"#) && text.contains(#""optional":[null,2]"#))
        #expect(text.contains(#""counts":{"y":2,"z":1}"#))
    }

    @Test func indentedOutputIsTheSameValueOneMemberPerLine() throws {
        let value = Sample(a: 1, b: 2.5, c: [:], d: [Inner(x: true, y: [])], e: "x")
        let indented = try CompactJSONEncoder.encode(value, indented: true)
        #expect(try JSONCoding.decode(Sample.self, from: Data(indented)) == value)
        #expect(String(decoding: indented, as: UTF8.self) == """
        {
          "a": 1,
          "b": 2.5,
          "c": {},
          "d": [
            {
              "x": true,
              "y": []
            }
          ],
          "e": "x"
        }
        """)
    }
}
