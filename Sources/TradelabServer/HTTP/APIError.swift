import Foundation
import Hummingbird

/// An error the API reports as `{"error": {"code", "message", "details"}}` with its status.
/// Handlers throw it; ``APIErrorMiddleware`` renders every other error the same way.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// Stable machine-readable code (`not_found`, `unknown_field`, ...).
    public var code: String
    /// What was wrong, for people.
    public var message: String
    /// Extra structured information (field names, diagnostics, limits).
    public var details: JSONValue?

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: JSONValue? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    /// 400 with a code naming the kind of bad input.
    public static func badRequest(_ message: String, code: String = "bad_request", details: JSONValue? = nil) -> APIError {
        APIError(.badRequest, code, message, details: details)
    }

    /// 404 for a missing resource.
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }

    /// 409 for an action the resource's state does not allow.
    public static func invalidState(_ message: String) -> APIError { APIError(.conflict, "invalid_state", message) }

    /// `"\(code): \(message)"`.
    public var description: String { "\(code): \(message)" }

    /// The JSON body.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(ErrorBody(error: .init(code: code, message: message, details: details)), status: status)
    }
}

/// `{"error": {"code", "message", "details"}}`.
private struct ErrorBody: Encodable {
    struct Inner: Encodable {
        let code: String
        let message: String
        let details: JSONValue?
    }
    let error: Inner
}

/// Renders every error escaping a handler as an ``APIError`` JSON body: Hummingbird's own
/// errors (404 for unknown routes, 413, ...) keep their status; anything else is a 500 whose
/// message is logged but not leaked.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(error.status, Self.code(for: error.status), error.body ?? Self.message(for: error.status, request: request))
        } catch let error as any HTTPResponseError {
            throw APIError(error.status, Self.code(for: error.status), Self.message(for: error.status, request: request))
        } catch {
            context.logger.error("internal error on \(request.method) \(request.uri.path): \(error)")
            throw APIError(.internalServerError, "internal", "internal server error; the server log has the details")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "body_too_large"
        default: status.code >= 500 ? "internal" : "error"
        }
    }

    static func message(for status: HTTPResponse.Status, request: Request) -> String {
        switch status.code {
        case 404: "no route for \(request.method) \(request.uri.path)"
        case 413: "the request body is too large"
        default: status.reasonPhrase
        }
    }
}
