import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every change to comments, each one transaction with its events in the outbox:
/// `comment.created`, `comment.mentioned` (only the people newly mentioned, never the author)
/// and `comment.deleted`.
struct CommentWriter: Sendable {
    let pool: PostgresPool
    let policy: EditPolicy
    let clock: @Sendable () -> Date

    /// What a new comment says.
    struct Draft: Sendable {
        var entity: EntityReference
        /// The comment replied to: a reply to a reply joins its thread.
        var replyTo: UUID?
        var body: String
        var mentions: [String]
    }

    /// Post `draft` as `author`.
    func create(_ draft: Draft, author: String) async throws -> Comment {
        try await pool.withTransaction { session in
            var thread: UUID?
            if let replyTo = draft.replyTo {
                guard let parent = try await session.query(
                    "SELECT id, thread_id, entity FROM comments WHERE id = $1", [replyTo]).rows.first,
                    try parent.decode("entity", as: String.self) == draft.entity.description
                else {
                    throw APIError.notFound("No comment \(replyTo) on \(draft.entity) to reply to.")
                }
                let root = try parent.decode("thread_id", as: UUID?.self) ?? replyTo
                try await session.query("UPDATE comments SET reply_count = reply_count + 1 WHERE id = $1", [root])
                thread = root
            }
            let comment = try await session.query(
                """
                INSERT INTO comments AS c (id, entity, project, thread_id, author_id, body, plain_text, mentions, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING \(Comment.columns)
                """,
                [UUID(), draft.entity.description, draft.entity.project, thread, author, draft.body, MarkdownText.plainText(draft.body),
                 draft.mentions, clock()]
            ).decode(Comment.self)[0]
            var events = [Self.event("comment.created", comment, actor: author, data: ["thread_id": thread.map { .string($0.lowercasedString) } ?? .null])]
            if let mentioned = Self.mentionEvent(comment, newly: draft.mentions, actor: author) { events.append(mentioned) }
            try await session.recordEvents(events)
            return comment
        }
    }

    /// Replace comment `id`'s body as `editor`, who must be its author (403 otherwise).
    func edit(_ id: UUID, body: String, mentions: [String], editor: String) async throws -> Comment {
        try await pool.withTransaction { session in
            guard let current = try await session.query("SELECT \(Comment.columns) FROM comments c WHERE c.id = $1 FOR UPDATE", [id]).decode(Comment.self).first
            else { throw APIError.notFound("No comment \(id).") }
            guard current.authorID == editor else { throw APIError.forbidden("Only the author of a comment edits it.") }
            guard !current.isPlaceholder else { throw APIError(.gone, code: "comment_deleted", message: "Comment \(id) was deleted; it cannot be edited.") }
            guard current.body != body else { return current }
            let now = clock()
            let latest = try await session.query("SELECT max(number) AS latest FROM comment_revisions WHERE comment_id = $1", [id]).rows[0]
                .decode("latest", as: Int?.self)
            var stamp: Date?
            switch policy.decide(createdAt: current.createdAt, now: now, latestRevision: latest) {
            case .replace:
                stamp = current.editedAt
            case .revise(let number):
                try await session.query(
                    "INSERT INTO comment_revisions (comment_id, number, body, written_at, replaced_at) VALUES ($1, $2, $3, $4, $5)",
                    [id, number, current.body, current.editedAt ?? current.createdAt, now])
                try await session.query(
                    "DELETE FROM comment_revisions WHERE comment_id = $1 AND number <= $2", [id, EditPolicy.pruneBelowOrAt(after: number)])
                stamp = now
            }
            let updated = try await session.query(
                "UPDATE comments c SET body = $2, plain_text = $3, mentions = $4, edited_at = $5 WHERE c.id = $1 RETURNING \(Comment.columns)",
                [id, body, MarkdownText.plainText(body), mentions, stamp]
            ).decode(Comment.self)[0]
            let newly = mentions.filter { !current.mentions.contains($0) }
            if let mentioned = Self.mentionEvent(updated, newly: newly, actor: editor) { try await session.recordEvents([mentioned]) }
            return updated
        }
    }

    /// Delete comment `id` as `actor` (its author, or a moderator when `moderator`): a root
    /// with replies becomes a placeholder; a reply goes, and a placeholder root whose last
    /// reply it was goes with it. Whether anything was left in its place.
    func delete(_ id: UUID, actor: String, moderator: Bool) async throws -> (placeholder: Bool, entity: EntityReference) {
        try await pool.withTransaction { session in
            guard let comment = try await session.query("SELECT \(Comment.columns) FROM comments c WHERE c.id = $1 FOR UPDATE", [id]).decode(Comment.self).first,
                !comment.isPlaceholder
            else { throw APIError.notFound("No comment \(id).") }
            guard comment.authorID == actor || moderator else {
                throw APIError.forbidden("Only the author of a comment and the project's admins delete it.")
            }
            let placeholder = comment.threadID == nil && comment.replyCount > 0
            if placeholder {
                try await session.query("UPDATE comments SET body = '', plain_text = '', mentions = '{}', deleted_at = $2 WHERE id = $1", [id, clock()])
                try await session.query("DELETE FROM comment_reactions WHERE comment_id = $1", [id])
                try await session.query("DELETE FROM comment_revisions WHERE comment_id = $1", [id])
            } else {
                try await session.query("DELETE FROM comments WHERE id = $1", [id])
                if let root = comment.threadID {
                    // A placeholder root goes with its last reply.
                    let left = try await session.query(
                        "UPDATE comments SET reply_count = reply_count - 1 WHERE id = $1 RETURNING reply_count, deleted_at IS NOT NULL AS placeholder", [root]
                    ).rows[0]
                    if try left.decode("reply_count", as: Int.self) == 0, try left.decode("placeholder", as: Bool.self) {
                        try await session.query("DELETE FROM comments WHERE id = $1", [root])
                    }
                }
            }
            try await session.recordEvents([
                Self.event("comment.deleted", comment, actor: actor, data: ["placeholder": .bool(placeholder), "moderated": .bool(comment.authorID != actor)])
            ])
            return (placeholder, comment.entity)
        }
    }

    /// Delete every comment on `entity` (its owner deleted it) in `session`'s transaction, with
    /// their reactions and revisions, and a `comment.deleted` for each one not already a
    /// placeholder; how many went.
    @discardableResult
    func deleteAll(on entity: EntityReference, actor: String, in session: PostgresSession) async throws -> Int {
        let comments = try await session.query("DELETE FROM comments c WHERE c.entity = $1 RETURNING \(Comment.columns)", [entity.description])
            .decode(Comment.self)
        try await session.recordEvents(comments.filter { !$0.isPlaceholder }.map { comment in
            Self.event("comment.deleted", comment, actor: actor, data: ["placeholder": .bool(false), "moderated": .bool(comment.authorID != actor)])
        })
        return comments.count
    }

    private static func event(_ type: String, _ comment: Comment, actor: String, data: [String: JSONValue]) -> OutboxEvent {
        OutboxEvent(
            type, aggregate: "comment", id: comment.id.lowercasedString, actor: actor,
            data: data.merging([
                "comment_id": .string(comment.id.lowercasedString), "entity": .string(comment.entity.description),
                "project_key": .string(comment.entity.project), "author_id": .string(comment.authorID),
            ]) { $1 })
    }

    /// `comment.mentioned` for the people in `newly` other than the author; nil when nobody is left.
    private static func mentionEvent(_ comment: Comment, newly: [String], actor: String) -> OutboxEvent? {
        let told = newly.filter { $0 != comment.authorID }
        guard !told.isEmpty else { return nil }
        return event("comment.mentioned", comment, actor: actor, data: [
            "user_ids": .array(told.map(JSONValue.string)), "excerpt": .string(String(MarkdownText.plainText(comment.body).prefix(200))),
        ])
    }
}
