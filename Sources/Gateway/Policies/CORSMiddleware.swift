import FlotillaKit
import HTTPTypes
import Hummingbird

/// CORS from configuration: an allow-list of origins (or `*`), methods, headers,
/// credentials, and how long browsers may cache a preflight.
struct CORSPolicy: Sendable {
    /// Allowed origins; `*` allows any (never together with credentials).
    var origins: [String] = []
    var methods: [String] = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    var headers: [String] = ["Authorization", "Content-Type", "X-Request-ID"]
    var exposedHeaders: [String] = ["X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After", "X-Cache"]
    var allowCredentials = false
    var maxAge: Duration = .seconds(600)

    func allows(_ origin: String) -> Bool {
        origins.contains("*") || origins.contains(origin)
    }
}

/// Answers preflights (`OPTIONS` with `Access-Control-Request-Method`) itself and adds the
/// CORS headers to every response for an allowed `Origin`. Disallowed origins get no CORS
/// headers, so the browser blocks the response.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = FlotillaRequestContext
    let policy: CORSPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = policy.allows(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: allowed ? .noContent : .forbidden)
            if allowed {
                addOriginHeaders(to: &response.headers, origin: origin)
                response.headers[.accessControlAllowMethods] = policy.methods.joined(separator: ", ")
                response.headers[.accessControlAllowHeaders] = policy.headers.joined(separator: ", ")
                response.headers[.accessControlMaxAge] = String(policy.maxAge.components.seconds)
            }
            return response
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ErrorEnvelopeMiddleware.render(error, request: request, context: context)
        }
        if allowed {
            addOriginHeaders(to: &response.headers, origin: origin)
            response.headers[.accessControlExposeHeaders] = policy.exposedHeaders.joined(separator: ", ")
        }
        return response
    }

    func addOriginHeaders(to headers: inout HTTPFields, origin: String) {
        let wildcard = policy.origins.contains("*") && !policy.allowCredentials
        headers[.accessControlAllowOrigin] = wildcard ? "*" : origin
        if !wildcard { headers[.vary] = "Origin" }
        if policy.allowCredentials { headers[.accessControlAllowCredentials] = "true" }
    }
}
