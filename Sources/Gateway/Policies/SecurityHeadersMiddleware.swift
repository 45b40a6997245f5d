import FlotillaKit
import HTTPTypes
import Hummingbird

/// Security headers on every response, errors included.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = FlotillaRequestContext
    /// `Strict-Transport-Security` max-age; zero leaves the header out (plain-HTTP dev).
    let hstsMaxAge: Duration

    /// Strict for JSON; the docs page may load its renderer from the CDN.
    static let apiPolicy = "default-src 'none'; frame-ancestors 'none'"
    static let docsPolicy = "default-src 'none'; script-src https://cdn.jsdelivr.net; style-src 'unsafe-inline' https://fonts.googleapis.com; font-src https://fonts.gstatic.com; img-src data: https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ErrorEnvelopeMiddleware.render(error, request: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.contentSecurityPolicy] = request.uri.path == "/api/docs" ? Self.docsPolicy : Self.apiPolicy
        if hstsMaxAge > .zero {
            response.headers[.strictTransportSecurity] = "max-age=\(hstsMaxAge.components.seconds); includeSubDomains"
        }
        response.headers[.server] = nil
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
