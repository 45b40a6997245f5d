import FlotillaKit
import HTTPTypes
import Hummingbird
import Logging

/// Applies a route's `auth`, `roles` and `scopes` before anything is sent upstream.
struct RouteAuthorizer: Sendable {
    let verifier: TokenVerifier

    /// The caller, if the route verifies tokens and one was sent; throws 401/403 otherwise.
    func authorize(_ request: Request, route: GatewayRoute, context: FlotillaRequestContext) async throws -> Principal? {
        guard route.auth != .public else { return nil }
        let principal: Principal?
        switch AuthenticationMiddleware.bearerToken(request.headers[.authorization]) {
        case .none:
            principal = nil
        case .invalid:
            throw TokenRejection.malformed.apiError
        case .token(let token):
            do {
                principal = try await verifier.verify(token)
            } catch {
                context.logger.info("access token rejected", metadata: ["reason": "\(error.reason)", "route": "\(route.prefix)"])
                throw error.apiError
            }
        }
        guard let principal else {
            if route.auth == .required { throw TokenRejection.missing.apiError }
            return nil
        }
        if !route.roles.isEmpty, !principal.has(anyOf: route.roles) {
            throw APIError.forbidden("This route needs the role \(route.roles.map(\.rawValue).sorted().joined(separator: " or ")).")
        }
        let missing = route.scopes.subtracting(principal.scopes)
        if !missing.isEmpty {
            throw APIError.forbidden("This route needs the scope \(missing.sorted().joined(separator: " and ")), which the token does not carry.")
        }
        return principal
    }
}
