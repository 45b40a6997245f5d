import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A comment on an entity: a thread's root (`thread_id` null) or a reply in one. `body` is
/// Markdown exactly as written; clients render and escape it. A root deleted while it had
/// replies stays as a placeholder (`deleted: true`, empty body) so the thread reads on.
struct Comment: Codable, Sendable, Equatable {
    let id: UUID
    let entity: EntityReference
    let threadID: UUID?
    let authorID: String
    var body: String
    var mentions: [String]
    var replyCount: Int
    let createdAt: Date
    var editedAt: Date?
    var deletedAt: Date?
    /// Reactions with counts and whether the caller is among them (filled in per reader).
    var reactions: [ReactionSummary]?

    enum CodingKeys: String, CodingKey {
        case id, entity, body, mentions, reactions
        case threadID = "thread_id", authorID = "author_id", replyCount = "reply_count"
        case createdAt = "created_at", editedAt = "edited_at", deletedAt = "deleted_at"
    }

    /// The select list a ``Comment`` decodes from (table alias `c`).
    static let columns =
        "c.id, c.entity, c.thread_id, c.author_id, c.body, c.mentions, c.reply_count, c.created_at, c.edited_at, c.deleted_at"

    var isPlaceholder: Bool { deletedAt != nil }
}

/// One reaction on a comment: how many chose it, and whether the caller did.
struct ReactionSummary: Codable, Sendable, Equatable {
    let reaction: Reaction
    let count: Int
    let reacted: Bool
}

/// One earlier body of a comment, kept by an edit.
struct CommentRevision: Codable, Sendable, Equatable {
    let number: Int
    let body: String
    let writtenAt: Date
    let replacedAt: Date

    enum CodingKeys: String, CodingKey {
        case number, body
        case writtenAt = "written_at", replacedAt = "replaced_at"
    }
}
