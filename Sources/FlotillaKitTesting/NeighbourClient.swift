import FlotillaKit
import Foundation
import Testing

/// Calls to neighbour binaries (``NeighbourServices``) as a test user, with tokens from the
/// test's issuer: how a test sets up the world its service reads (projects and their members).
public struct NeighbourClient: Sendable {
    public let issuer: TestTokenIssuer

    public init(issuer: TestTokenIssuer) {
        self.issuer = issuer
    }

    /// `method path` on `service` as `user` with a JSON body; expects a 2xx; the reply's JSON object.
    @discardableResult
    public func call(_ service: ServiceProcess, _ method: String, _ path: String, json: String? = nil, as user: String) async throws -> [String: Any] {
        let token = try await issuer.token(subject: user, roles: [.member])
        let reply = try await HTTPTestClient.send(
            method, service.baseURL + path, headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: json)
        #expect((200..<300).contains(reply.status), "\(method) \(path): \(reply.body)")
        return (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any] ?? [:]
    }

    /// Project `key` (kanban) in `projects`, owned by `owner`, with `members` as `[user: role]`.
    public func project(_ key: String, in projects: ServiceProcess, owner: String, members: [String: String]) async throws {
        try await call(projects, "POST", "/projects", json: #"{"key": "\#(key)", "name": "Project \#(key)", "template": "kanban"}"#, as: owner)
        for (user, role) in members.sorted(by: { $0.key < $1.key }) {
            try await call(projects, "POST", "/projects/\(key)/members", json: #"{"user_id": "\#(user)", "role": "\#(role)"}"#, as: owner)
        }
    }
}
