import HTTPTypes
import Logging
public import Hummingbird

/// Reads `Authorization: Bearer <token>`, verifies it, and puts the ``Principal`` in the
/// request context. A token that is present but invalid is always a 401, before the
/// handler runs; a missing token is a 401 only when `required`.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = FlotillaRequestContext

    let verifier: TokenVerifier
    let required: Bool

    public init(verifier: TokenVerifier, required: Bool = true) {
        self.verifier = verifier
        self.required = required
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        switch Self.bearerToken(request.headers[.authorization]) {
        case .none:
            if required { throw TokenRejection.missing.apiError }
        case .invalid:
            throw TokenRejection.malformed.apiError
        case .token(let token):
            do {
                context.principal = try await verifier.verify(token)
            } catch {
                context.logger.info("access token rejected", metadata: ["reason": "\(error.reason)"])
                throw error.apiError
            }
        }
        return try await next(request, context)
    }

    /// What an `Authorization` header holds.
    public enum Credential: Equatable, Sendable {
        case none
        case invalid
        case token(String)
    }

    /// The bearer token in an `Authorization` value (RFC 6750 §2.1; scheme case-insensitive).
    public static func bearerToken(_ header: String?) -> Credential {
        guard let header else { return .none }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return .invalid }
        let token = parts[1].trimmingWhitespace()
        return token.isEmpty ? .invalid : .token(String(token))
    }
}
