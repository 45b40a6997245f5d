import FlotillaKit
import Hummingbird
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /oauth/token` (RFC 6749): `client_credentials` for service accounts,
/// `refresh_token`, and the API-key grant `urn:flotilla:grant-type:api-key` that trades a
/// user's API key for a short-lived access token with the key's scopes.
struct OAuthController: Sendable {
    let clients: ServiceClientRepository
    let apiKeys: APIKeyRepository
    let users: UserRepository
    let issuer: TokenIssuer
    let login: LoginController
    let audit: AuditLog

    static let apiKeyGrant = "urn:flotilla:grant-type:api-key"

    func addRoutes(to router: Router<FlotillaRequestContext>) {
        router.post("/oauth/token", use: token)
    }

    @Sendable func token(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context)
        let tokens: TokenResponse
        switch form["grant_type"] {
        case "client_credentials":
            tokens = try await clientCredentials(form, authorization: request.headers[.authorization])
        case "refresh_token":
            guard let refreshToken = form["refresh_token"] else { throw Self.invalidRequest("refresh_token") }
            tokens = try await login.exchange(refreshToken: refreshToken)
        case Self.apiKeyGrant:
            tokens = try await apiKey(form)
        case nil:
            throw Self.invalidRequest("grant_type")
        case let other?:
            throw APIError(
                .badRequest, code: "unsupported_grant_type",
                message: "The grant type '\(other.prefix(60))' is not supported; use client_credentials, refresh_token or \(Self.apiKeyGrant).")
        }
        var response = JSONResponse.make(tokens)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func clientCredentials(_ form: FormBody, authorization: String?) async throws -> TokenResponse {
        let (clientID, secret) = try Self.clientAuthentication(form, authorization: authorization)
        guard let allowed = try await clients.authenticate(clientID: clientID, secret: secret) else {
            audit.record(.clientCredentials, outcome: "failure", subject: "client:\(clientID.prefix(63))")
            throw APIError(
                .unauthorized, code: "invalid_client", message: "The client id or secret is wrong, or the client was revoked.",
                headers: [.wwwAuthenticate: #"Basic realm="flotilla""#])
        }
        let requested = Scopes.parse(form["scope"])
        let granted = requested.isEmpty ? allowed : requested
        guard Set(granted).isSubset(of: allowed) else {
            throw APIError(
                .badRequest, code: "invalid_scope", message: "The client may not request: \(Set(granted).subtracting(allowed).sorted().joined(separator: " ")).",
                details: ["allowed": .array(allowed.map { .string($0) })])
        }
        let issued = try await issuer.issue(subject: "client:\(clientID)", kind: .service, roles: [], scopes: granted.sorted())
        audit.record(.clientCredentials, outcome: "success", subject: "client:\(clientID)", ["scope": "\(granted.sorted().joined(separator: " "))"])
        return TokenResponse(issued)
    }

    func apiKey(_ form: FormBody) async throws -> TokenResponse {
        guard let key = form["api_key"] else { throw Self.invalidRequest("api_key") }
        guard let (userID, scopes) = try await apiKeys.authenticate(key), let user = try await users.find(id: userID) else {
            throw APIError(.unauthorized, code: "invalid_grant", message: "The API key is unknown or revoked.")
        }
        let issued = try await issuer.issue(subject: userID.lowercasedString, kind: .apiKey, roles: user.roles, scopes: scopes)
        return TokenResponse(issued)
    }

    /// Client id and secret from HTTP Basic (preferred by RFC 6749 §2.3.1) or the body.
    static func clientAuthentication(_ form: FormBody, authorization: String?) throws(APIError) -> (String, String) {
        if let authorization, authorization.lowercased().hasPrefix("basic ") {
            guard let decoded = Data(base64Encoded: String(authorization.dropFirst(6).trimmingWhitespace())),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else {
                throw APIError(.unauthorized, code: "invalid_client", message: "The Basic credentials are malformed.", headers: [.wwwAuthenticate: #"Basic realm="flotilla""#])
            }
            let id = FormBody.decode(text[..<colon]) ?? ""
            let secret = FormBody.decode(text[text.index(after: colon)...]) ?? ""
            return (id, secret)
        }
        guard let id = form["client_id"] else { throw invalidRequest("client_id") }
        guard let secret = form["client_secret"] else { throw invalidRequest("client_secret") }
        return (id, secret)
    }

    static func invalidRequest(_ parameter: String) -> APIError {
        APIError(.badRequest, code: "invalid_request", message: "The parameter '\(parameter)' is missing.", details: ["field": .string(parameter)])
    }
}
