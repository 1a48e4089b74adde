import Foundation
import Hummingbird
import TradelabRun

/// The fields a request body may contain; anything else is refused by name.
indirect enum FieldSpec: Sendable {
    /// Any value (numbers, strings, arrays...).
    case value
    /// An object with exactly these optional members.
    case object([String: FieldSpec])
    /// An object with free keys, each value checked by the spec (e.g. `params`).
    case map(FieldSpec)

    /// The unknown members of `json`, as dotted paths (`account.comission`).
    func unknownFields(in json: Any, path: String = "") -> [String] {
        switch self {
        case .value:
            return []
        case .map(let inner):
            guard let object = json as? [String: Any] else { return [] }
            return object.sorted { $0.key < $1.key }.flatMap { inner.unknownFields(in: $0.value, path: path + $0.key + ".") }
        case .object(let members):
            guard let object = json as? [String: Any] else { return [] }
            return object.keys.sorted().flatMap { key -> [String] in
                guard let spec = members[key] else { return [path + key] }
                return spec.unknownFields(in: object[key]!, path: path + key + ".")
            }
        }
    }
}

/// Request bodies: bounded, valid JSON, no unknown fields, typed decoding with messages that
/// name the field.
enum StrictJSON {
    /// Largest request body accepted by default (strategy text is at most 1 MiB).
    static let defaultLimit = (1 << 20) + 64 * 1024

    /// Reads and decodes the body.
    /// - Throws: ``APIError``: 413 `body_too_large`, 400 `invalid_json`, `unknown_field` or `invalid_value`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, fields: FieldSpec, limit: Int = defaultLimit) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "body_too_large", "the request body is larger than the limit of \(limit) bytes",
                           details: .object(["limit": .number(Double(limit))]))
        }
        return try decode(type, from: Data(buffer.readableBytesView), fields: fields)
    }

    /// Decodes a body already read.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, fields: FieldSpec) throws -> T {
        if data.isEmpty { throw APIError.badRequest("the request needs a JSON body", code: "invalid_json") }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(Self.describe(error))", code: "invalid_json")
        }
        guard json is [String: Any] else { throw APIError.badRequest("the body must be a JSON object", code: "invalid_json") }
        let unknown = fields.unknownFields(in: json)
        if !unknown.isEmpty {
            throw APIError.badRequest("unknown field\(unknown.count == 1 ? "" : "s"): \(unknown.joined(separator: ", "))", code: "unknown_field",
                                      details: .object(["fields": .array(unknown.map(JSONValue.string))]))
        }
        do {
            return try JSONCoding.decoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw APIError.badRequest(describe(error), code: "invalid_value")
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("\(error)", code: "invalid_value")
        }
    }

    /// "field 'account.commission': expected a number".
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "field '\(path(context.codingPath))': expected \(Self.name(of: type))"
        case .valueNotFound(let type, let context):
            return "field '\(path(context.codingPath))': expected \(Self.name(of: type)), got null"
        case .keyNotFound(let key, let context):
            return "missing field '\(path(context.codingPath + [key]))'"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? context.debugDescription : "field '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is UInt64.Type: "a whole number"
        case is Double.Type: "a number"
        default: "a value of type \(type)"
        }
    }

    private static func describe(_ error: any Error) -> String {
        (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
    }
}
