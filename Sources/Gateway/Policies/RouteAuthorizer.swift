import FlotillaKit
import HTTPTypes
import Hummingbird
import Logging

/// Applies a route's `auth`, `roles` and `scopes`. Verification is CPU only (the denylist
/// is checked in the same Redis round trip as the rate limits), so it runs first and its
/// verdict is applied after the client's budget has been counted.
struct RouteAuthorizer: Sendable {
    let verifier: TokenVerifier

    /// The caller if the route verifies tokens and a valid one was sent; the rejection if
    /// one was sent and is not valid.
    func authenticate(_ request: Request, route: GatewayRoute, context: FlotillaRequestContext) async -> Result<Principal?, APIError> {
        guard route.auth != .public else { return .success(nil) }
        switch AuthenticationMiddleware.bearerToken(request.headers[.authorization]) {
        case .none:
            return .success(nil)
        case .invalid:
            return .failure(TokenRejection.malformed.apiError)
        case .token(let token):
            do {
                return .success(try await verifier.verify(token))
            } catch {
                context.logger.info("access token rejected", metadata: ["reason": "\(error.reason)", "route": "\(route.prefix)"])
                return .failure(error.apiError)
            }
        }
    }

    /// 401 when the route needs a caller and has none; 403 without a required role or scope.
    func authorize(_ principal: Principal?, route: GatewayRoute) throws(APIError) {
        guard let principal else {
            if route.auth == .required { throw TokenRejection.missing.apiError }
            return
        }
        if !route.roles.isEmpty, !principal.has(anyOf: route.roles) {
            throw APIError.forbidden("This route needs the role \(route.roles.map(\.rawValue).sorted().joined(separator: " or ")).")
        }
        let missing = route.scopes.subtracting(principal.scopes)
        if !missing.isEmpty {
            throw APIError.forbidden("This route needs the scope \(missing.sorted().joined(separator: " and ")), which the token does not carry.")
        }
    }
}
