import FlotillaKit
import Foundation

/// One in-app notification, as the inbox serves it. `title` and `body` are plain text:
/// clients escape them when they display them.
struct InboxItem: Codable, Sendable, Equatable {
    let id: String
    let category: String
    let kind: String
    let title: String
    let body: String
    let data: [String: JSONValue]
    let createdAt: Date
    let seenAt: Date?
    let readAt: Date?
    let archivedAt: Date?
    let snoozedUntil: Date?

    enum CodingKeys: String, CodingKey {
        case id, category, kind, title, body, data
        case createdAt = "created_at", seenAt = "seen_at", readAt = "read_at", archivedAt = "archived_at", snoozedUntil = "snoozed_until"
    }

    static let columns = "id::text AS id, category, kind, title, body, data, created_at, seen_at, read_at, archived_at, snoozed_until"
}

/// A page of the inbox and the cursor of the next one.
struct InboxPage: Encodable, Sendable {
    let data: [InboxItem]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }
}
