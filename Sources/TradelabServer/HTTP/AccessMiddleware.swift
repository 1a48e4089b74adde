import HTTPTypes
import Hummingbird

/// Guards every route with a token when one is configured: `Authorization: Bearer TOKEN`, a
/// `token` query parameter (browsers cannot set headers on WebSockets or downloads), or the
/// `tradelab_token` cookie that a successful `?token=` page load sets.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        let query = request.uri.queryParameters.get("token")
        let cookie = request.cookies["tradelab_token"]?.value
        guard [bearer, query, cookie].contains(where: { $0.map(matches) ?? false }) else {
            throw APIError(.unauthorized, "unauthorized", "this server needs its token: send 'Authorization: Bearer TOKEN' (or ?token=TOKEN)")
        }
        var response = try await next(request, context)
        if query != nil, cookie == nil {
            response.setCookie(Cookie(name: "tradelab_token", value: token, path: "/", httpOnly: true, sameSite: .strict))
        }
        return response
    }

    /// Constant-time comparison.
    private func matches(_ candidate: String) -> Bool {
        let a = Array(candidate.utf8), b = Array(token.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Security headers on every response: no sniffing, no framing, and a Content-Security-Policy
/// that allows only this origin's scripts (Monaco injects `<style>` elements, hence
/// `'unsafe-inline'` for styles only).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            + "font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }
}

/// Keeps other web sites out of a server bound to loopback: without it any page the user visits
/// could POST to `http://127.0.0.1:8080` (a "simple" cross-origin request needs no preflight) or
/// reach it through DNS rebinding.
///
/// - `Host` must name a loopback address (`127.0.0.1`, `localhost`, `[::1]`) unless the server
///   was told to bind elsewhere (then its token protects it);
/// - a request carrying an `Origin` (browsers add it to cross-origin requests and WebSocket
///   upgrades) must come from the same host;
/// - request bodies must be `application/json`.
struct SameOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether the server binds a loopback address (Host is checked only then).
    let loopbackOnly: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!] ?? ""   // HTTP/1 puts Host in authority
        if loopbackOnly, !host.isEmpty, !Self.isLoopback(host: host) {
            throw APIError(.forbidden, "forbidden_host", "this server answers only to 127.0.0.1, localhost or [::1], not '\(host)'")
        }
        if let origin = request.headers[.origin] {
            let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
            guard origin.hasPrefix("http://") || origin.hasPrefix("https://"), originHost.lowercased() == host.lowercased() else {
                throw APIError(.forbidden, "forbidden_origin", "cross-origin requests are not allowed (Origin '\(origin)', Host '\(host)')")
            }
        }
        if [.post, .put, .patch].contains(request.method), let type = request.headers[.contentType],
           !type.lowercased().hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "request bodies must be JSON (Content-Type: application/json), not '\(type)'")
        }
        return try await next(request, context)
    }

    /// `127.x.x.x`, `localhost` or `[::1]`, with an optional port.
    static func isLoopback(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") {
            return name.hasPrefix("[::1]") && (name.count == 5 || name.dropFirst(5).hasPrefix(":"))
        }
        if let colon = name.lastIndex(of: ":") { name = String(name[..<colon]) }
        return name == "localhost" || ServerConfiguration.isLoopbackAddress(name)
    }
}
