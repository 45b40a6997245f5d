import FlotillaKit
import HTTPTypes
import Hummingbird

/// Security headers on every response, errors included. The fields are made once; a
/// response gets them appended, after any an upstream sent under the same names (and any
/// `Server`) are taken out, so each appears once with the gateway's value.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = FlotillaRequestContext

    /// Strict for JSON; the docs page may load its renderer from the CDN.
    static let apiPolicy = "default-src 'none'; frame-ancestors 'none'"
    static let docsPolicy = "default-src 'none'; script-src https://cdn.jsdelivr.net; style-src 'unsafe-inline' https://fonts.googleapis.com; font-src https://fonts.gstatic.com; img-src data: https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; frame-ancestors 'none'"

    /// The fields for API responses and for the docs page.
    let apiFields: [HTTPField]
    let docsFields: [HTTPField]
    /// Names this middleware owns: its own and `Server` (no version leak from upstreams).
    let ownedNames: Set<HTTPField.Name>

    /// - Parameter hstsMaxAge: `Strict-Transport-Security` max-age; zero leaves the header
    ///   out (plain-HTTP dev).
    init(hstsMaxAge: Duration) {
        var common: [HTTPField] = [
            HTTPField(name: .xContentTypeOptions, value: "nosniff"),
            HTTPField(name: .xFrameOptions, value: "DENY"),
            HTTPField(name: .referrerPolicy, value: "no-referrer"),
        ]
        if hstsMaxAge > .zero {
            common.append(HTTPField(name: .strictTransportSecurity, value: "max-age=\(hstsMaxAge.components.seconds); includeSubDomains"))
        }
        apiFields = common + [HTTPField(name: .contentSecurityPolicy, value: Self.apiPolicy)]
        docsFields = common + [HTTPField(name: .contentSecurityPolicy, value: Self.docsPolicy)]
        ownedNames = Set(apiFields.map(\.name) + [.server])
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ErrorEnvelopeMiddleware.render(error, request: request, context: context)
        }
        if response.headers.contains(where: { ownedNames.contains($0.name) }) {
            response.headers = HTTPFields(response.headers.filter { !ownedNames.contains($0.name) })
        }
        response.headers.append(contentsOf: request.uri.path == "/api/docs" ? docsFields : apiFields)
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
