import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reading comments: threads of an entity and replies of a thread (keyset pages, oldest
/// first), reactions for a whole page in one statement, counts for many entities in one.
struct CommentRepository: Sendable {
    let pool: PostgresPool

    /// A page: the comments and the position to continue after, if there is more.
    struct Page: Sendable {
        var comments: [Comment]
        var next: Int64?
    }

    func find(_ id: UUID) async throws -> Comment? {
        try await pool.query("SELECT \(Comment.columns) FROM comments c WHERE c.id = $1", [id]).decode(Comment.self).first
    }

    /// The threads (root comments) on `entity` after position `after`; `search` matches
    /// their plain text or their replies'.
    func threads(on entity: EntityReference, after: Int64?, limit: Int, search: String?) async throws -> Page {
        try await page(
            """
            SELECT \(Comment.columns), c.position FROM comments c
            WHERE c.entity = $1 AND c.thread_id IS NULL AND ($2::bigint IS NULL OR c.position > $2)
              AND ($3::text IS NULL OR c.plain_text ILIKE $3 ESCAPE '\\'
                   OR EXISTS (SELECT 1 FROM comments r WHERE r.thread_id = c.id AND r.plain_text ILIKE $3 ESCAPE '\\'))
            ORDER BY c.position LIMIT $4
            """,
            [entity.description, after, search.map(Self.containsPattern), limit + 1], limit: limit)
    }

    /// The replies in thread `root` after position `after`.
    func replies(to root: UUID, after: Int64?, limit: Int) async throws -> Page {
        try await page(
            """
            SELECT \(Comment.columns), c.position FROM comments c
            WHERE c.thread_id = $1 AND ($2::bigint IS NULL OR c.position > $2) ORDER BY c.position LIMIT $3
            """,
            [root, after, limit + 1], limit: limit)
    }

    private func page(_ sql: String, _ parameters: [any PostgresEncodable], limit: Int) async throws -> Page {
        let rows = try await pool.query(sql, parameters).rows
        let comments = try rows.prefix(limit).map { try $0.decode(Comment.self) }
        let next = rows.count > limit ? try rows[limit - 1].decode("position", as: Int64.self) : nil
        return Page(comments: comments, next: next)
    }

    /// The reactions on each of `comments` (one statement), `reacted` for `user`.
    func withReactions(_ comments: [Comment], for user: String) async throws -> [Comment] {
        guard !comments.isEmpty else { return comments }
        let rows = try await pool.query(
            """
            SELECT comment_id, reaction, count(*)::int AS count, bool_or(user_id = $2) AS reacted FROM comment_reactions
            WHERE comment_id = ANY($1) GROUP BY comment_id, reaction
            """,
            [comments.map(\.id), user]
        ).rows
        var summaries: [UUID: [ReactionSummary]] = [:]
        for row in rows {
            guard let reaction = Reaction(rawValue: try row.decode("reaction", as: String.self)) else { continue }
            summaries[try row.decode("comment_id", as: UUID.self), default: []].append(
                ReactionSummary(reaction: reaction, count: try row.decode("count", as: Int.self), reacted: try row.decode("reacted", as: Bool.self)))
        }
        let order = Dictionary(uniqueKeysWithValues: Reaction.allCases.enumerated().map { ($1, $0) })
        return comments.map { comment in
            var comment = comment
            comment.reactions = (summaries[comment.id] ?? []).sorted { order[$0.reaction]! < order[$1.reaction]! }
            return comment
        }
    }

    /// How many comments (threads and replies, placeholders not counted) each of `entities`
    /// has, in one statement; entities without comments count 0.
    func counts(_ entities: [EntityReference]) async throws -> [EntityReference: Int] {
        let rows = try await pool.query(
            "SELECT entity, count(*)::int AS count FROM comments WHERE entity = ANY($1) AND deleted_at IS NULL GROUP BY entity",
            [entities.map(\.description)]
        ).rows
        var counts = Dictionary(uniqueKeysWithValues: entities.map { ($0, 0) })
        for row in rows {
            if let entity = EntityReference(try row.decode("entity", as: String.self)) { counts[entity] = try row.decode("count", as: Int.self) }
        }
        return counts
    }

    /// Comment `id`'s kept revisions, newest first.
    func revisions(of id: UUID) async throws -> [CommentRevision] {
        try await pool.query(
            "SELECT number, body, written_at, replaced_at FROM comment_revisions WHERE comment_id = $1 ORDER BY number DESC", [id]
        ).decode(CommentRevision.self)
    }

    /// `%text%` for ILIKE, with `%`, `_` and `\` in `text` matched literally.
    static func containsPattern(_ text: String) -> String {
        var pattern = "%"
        for character in text {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern + "%"
    }
}
