import Foundation

/// The JSON settings of every payload and stored file: non-finite numbers as the strings "NaN",
/// "Infinity" and "-Infinity" (JSON has no literal for them), slashes unescaped.
///
/// Values are encoded with ``CompactJSONEncoder`` (fast, compact); ``indented(_:)`` serves the
/// files people read (`summary.json`); everything is decoded with ``decoder()``.
public enum JSONCoding {
    /// The compact bytes of `value` (``CompactJSONEncoder``).
    public static func encode(_ value: some Encodable) throws -> Data {
        Data(try CompactJSONEncoder.encode(value))
    }

    /// Indented bytes of `value`, one member per line, for files meant to be read by people.
    public static func indented(_ value: some Encodable) throws -> Data {
        Data(try CompactJSONEncoder.encode(value, indented: true))
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
