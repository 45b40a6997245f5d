import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Service clients declared in the environment rather than through the admin API, so a
/// deployment wires both ends of a client-credentials grant from one secret (the chart and
/// `flotilla up` register orders' restock client this way):
///
///     AUTH_SERVICE_CLIENTS='{"orders": {"secret": "<32+ characters>", "scopes": ["catalog:inventory"]}}'
///
/// Each is created on start, or has its secret and scopes replaced (and is un-revoked).
struct DeclaredServiceClient: Sendable, Equatable {
    let clientID: String
    let secret: String
    let scopes: [String]

    private struct Entry: Decodable {
        let secret: String
        let scopes: [String]
    }

    static let variable = "AUTH_SERVICE_CLIENTS"

    /// The declared clients; a malformed declaration is recorded (its secrets never shown).
    static func read(_ environment: inout EnvironmentReader) -> [DeclaredServiceClient] {
        guard let text = environment.raw(variable) else { return [] }
        guard let entries = try? JSONDecoder().decode([String: Entry].self, from: Data(text.utf8)) else {
            environment.record(variable, nil, #"a JSON object {"<client id>": {"secret": "...", "scopes": ["..."]}}"#)
            return []
        }
        var clients = [DeclaredServiceClient]()
        for (clientID, entry) in entries.sorted(by: { $0.key < $1.key }) {
            // The admin API's rules for ids and scopes, and a secret too long to guess.
            guard ServiceClientRepository.isValidClientID(clientID), entry.secret.count >= 32, !entry.scopes.isEmpty,
                let scopes = try? Scopes.validated(entry.scopes)
            else {
                environment.record(variable, nil, "client '\(clientID.prefix(63))' with a 2 to 63 character lower-case id, a secret of 32 or more characters and 1 to 32 valid scopes")
                continue
            }
            clients.append(DeclaredServiceClient(clientID: clientID, secret: entry.secret, scopes: scopes))
        }
        return clients
    }
}
