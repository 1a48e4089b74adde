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
