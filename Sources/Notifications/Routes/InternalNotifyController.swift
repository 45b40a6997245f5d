import FlotillaKit
import Foundation
import Hummingbird

/// `POST /notifications`: another service notifies a user directly (a service token with
/// scope `notifications:send`). `{"user_id", "category", "title", "body", "data"?, "email"?,
/// "idempotency_key"?}`; the same key twice stores and sends once (200 the second time).
struct InternalNotifyController: Sendable {
    let pool: PostgresPool
    let notifier: Notifier
    static let scope = "notifications:send"

    struct Input: Decodable {
        let userID: String
        let category: String
        let title: String
        let body: String
        let data: [String: JSONValue]?
        let email: Bool?
        let idempotencyKey: String?

        enum CodingKeys: String, CodingKey {
            case category, title, body, data, email
            case userID = "user_id", idempotencyKey = "idempotency_key"
        }
    }

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/notifications", use: notify)
    }

    @Sendable func notify(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.kind == .service, principal.scopes.contains(Self.scope) else {
            throw APIError.forbidden("Only services with the \(Self.scope) scope may send notifications.")
        }
        let input = try await request.decodeJSON(as: Input.self, context: context)
        guard (1...200).contains(input.userID.count) else { throw APIError.invalidField("user_id", "Give the user's id.") }
        guard let category = NotificationCategory(rawValue: input.category) else {
            throw APIError.invalidField("category", "Use one of \(NotificationCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw APIError.invalidField("title", "Give a title of 1 to 200 characters.") }
        guard (1...5000).contains(input.body.count) else { throw APIError.invalidField("body", "Give a body of 1 to 5000 characters.") }
        if let key = input.idempotencyKey, !(1...200).contains(key.count) { throw APIError.invalidField("idempotency_key", "Use 1 to 200 characters.") }
        var notification = NotificationRequest(
            userID: input.userID, kind: .direct, category: category, values: ["title": .text(title), "body": .text(input.body)],
            data: input.data ?? [:], idempotencyKey: "direct:\(principal.subject):\(input.idempotencyKey ?? UUID().uuidString)")
        notification.email = input.email ?? true
        let outcome = try await pool.withTransaction { try await notifier.deliver(notification, in: $0) }
        let fresh = outcome.inAppID != nil || outcome.emailQueued
        return JSONResponse.make(
            ["id": outcome.inAppID.map(JSONValue.string) ?? .null, "email_queued": .bool(outcome.emailQueued), "email_digested": .bool(outcome.digested)], status: fresh ? .created : .ok)
    }
}
