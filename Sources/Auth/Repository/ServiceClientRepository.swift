import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Service accounts for the client-credentials grant. Secrets are 256-bit random strings,
/// so their SHA-256 is stored rather than a slow password hash.
struct ServiceClientRepository: Sendable {
    let pool: PostgresPool

    struct Client: Codable, Sendable, Equatable {
        let clientID: String
        let scopes: [String]
        let createdAt: Date

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id", scopes, createdAt = "created_at"
        }
    }

    /// A client id: 2 to 63 lower-case letters, digits and dashes, not starting with a dash.
    static func isValidClientID(_ id: String) -> Bool {
        (2...63).contains(id.count) && id.first != "-" && id.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    /// Register a client; returns it with its secret, shown only this once. 409 if the id exists.
    func create(clientID: String, scopes: [String]) async throws -> (Client, secret: String) {
        let secret = OpaqueToken.generate()
        do {
            let rows = try await pool.query(
                "INSERT INTO service_clients (client_id, secret_hash, scopes) VALUES ($1, $2, $3) RETURNING client_id, scopes, created_at",
                [clientID, secret.hash, scopes]
            ).decode(Client.self)
            return (rows[0], secret.value)
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation {
            throw APIError(.conflict, code: "client_exists", message: "A service client named '\(clientID)' already exists.", details: ["field": "client_id"])
        }
    }

    /// Create `declared`, or give the existing client of that id its secret and scopes
    /// (un-revoking it): the environment is the source of truth for declared clients.
    func declare(_ declared: DeclaredServiceClient) async throws {
        try await pool.query(
            """
            INSERT INTO service_clients (client_id, secret_hash, scopes) VALUES ($1, $2, $3)
            ON CONFLICT (client_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, scopes = EXCLUDED.scopes, revoked_at = NULL
            """,
            [declared.clientID, OpaqueToken.hash(declared.secret), declared.scopes])
    }

    func list() async throws -> [Client] {
        try await pool.query("SELECT client_id, scopes, created_at FROM service_clients WHERE revoked_at IS NULL ORDER BY client_id").decode(Client.self)
    }

    func revoke(clientID: String) async throws -> Bool {
        !(try await pool.query("UPDATE service_clients SET revoked_at = now() WHERE client_id = $1 AND revoked_at IS NULL RETURNING client_id", [clientID]).rows.isEmpty)
    }

    /// The client's allowed scopes when `secret` is right; `nil` otherwise (unknown,
    /// revoked or wrong secret alike).
    func authenticate(clientID: String, secret: String) async throws -> [String]? {
        let rows = try await pool.query(
            "SELECT secret_hash, scopes FROM service_clients WHERE client_id = $1 AND revoked_at IS NULL", [clientID]
        ).rows
        guard let row = rows.first else { return nil }
        let stored = try row.decode("secret_hash", as: Data.self)
        guard constantTimeEqual(Array(stored), Array(OpaqueToken.hash(secret))) else { return nil }
        return try row.decode("scopes", as: [String].self)
    }
}
