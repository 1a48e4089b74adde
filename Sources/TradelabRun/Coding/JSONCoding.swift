import Foundation

/// The JSON settings of every payload and stored file: non-finite numbers as the strings "NaN",
/// "Infinity" and "-Infinity" (JSON has no literal for them), slashes unescaped.
///
/// Values are encoded with ``CompactJSONEncoder`` (fast, compact); ``prettyEncoder()`` serves the
/// files people read (`summary.json`); everything is decoded with ``decoder()``.
public enum JSONCoding {
    /// The compact bytes of `value` (``CompactJSONEncoder``).
    public static func encode(_ value: some Encodable) throws -> Data {
        Data(try CompactJSONEncoder.encode(value))
    }

    /// An indented encoder with sorted keys, for files meant to be read by people.
    public static func prettyEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// The matching decoder.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    /// Decodes `type` from JSON bytes.
    /// - Throws: `DecodingError`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder().decode(type, from: data)
    }
}
