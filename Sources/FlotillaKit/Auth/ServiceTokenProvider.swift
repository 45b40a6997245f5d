#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A service account's access token from the auth service's client-credentials grant,
/// fetched when first needed and reused until a minute before it expires. For calls a
/// service makes on its own behalf (e.g. orders putting stock back after a failed checkout).
public actor ServiceTokenProvider {
    let upstream: Upstream
    let clientID: String
    let clientSecret: String
    let scope: String
    var cached: (token: String, refreshAt: ContinuousClock.Instant)?

    /// `upstream` is the auth service; `scope` the space-separated scopes to ask for.
    public init(upstream: Upstream, clientID: String, clientSecret: String, scope: String) {
        self.upstream = upstream
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
    }

    struct Grant: Decodable {
        let accessToken: String
        let expiresIn: Int
        enum CodingKeys: String, CodingKey { case accessToken = "access_token", expiresIn = "expires_in" }
    }

    /// A currently valid token; throws when no secret is configured (without calling auth),
    /// or when the auth service refuses or cannot be reached.
    public func token() async throws -> String {
        if let cached, ContinuousClock.now < cached.refreshAt { return cached.token }
        guard !clientSecret.isEmpty else { throw ServiceTokenError(status: nil) }
        let body = "grant_type=client_credentials&client_id=\(clientID)&client_secret=\(clientSecret)&scope=\(scope.replacing(" ", with: "+"))"
        let response = try await upstream.execute(
            "POST", "/oauth/token", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8), idempotent: true)
        guard response.status == 200, let grant = try? JSONDecoder().decode(Grant.self, from: Data(response.body)) else {
            throw ServiceTokenError(status: response.status)
        }
        cached = (grant.accessToken, .now + .seconds(max(1, grant.expiresIn - 60)))
        return grant.accessToken
    }
}

/// The token endpoint refused the client credentials, or there are none to present.
public struct ServiceTokenError: Error, CustomStringConvertible {
    /// The token endpoint's status; `nil` when no client secret is configured.
    public let status: Int?
    public var description: String {
        status.map { "the auth service refused the client credentials (HTTP \($0))" } ?? "no client secret is configured"
    }
}
