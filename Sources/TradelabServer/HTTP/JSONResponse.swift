import Foundation
import Hummingbird
import TradelabRun

/// JSON responses in the API's one encoding (``JSONCoding``: compact, non-finite numbers as strings).
enum JSONResponse {
    /// A response carrying `value` as JSON.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        data(try JSONCoding.encode(value), status: status)
    }

    /// A response carrying JSON bytes already encoded.
    static func data(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
