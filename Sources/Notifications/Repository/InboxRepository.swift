import FlotillaKit
import Foundation

/// The in-app inbox: one user's items, never anyone else's (every statement is scoped by
/// `user_id`, so another user's id is simply not found).
struct InboxRepository: Sendable {
    let pool: PostgresPool

    /// What a list shows.
    struct Filter: Sendable {
        var unreadOnly = false
        /// false: not archived (the inbox); true: the archive.
        var archived = false
        var category: String?
        /// Position to continue after (from the previous page's cursor).
        var before: Int64?
        var limit = 20
    }

    /// A page, newest first; snoozed items stay out until their time comes.
    func list(_ userID: String, _ filter: Filter) async throws -> (items: [InboxItem], next: Int64?) {
        let rows = try await pool.query(
            """
            SELECT \(InboxItem.columns), position FROM notifications
            WHERE user_id = $1 AND (archived_at IS NOT NULL) = $2 AND (NOT $3 OR read_at IS NULL)
              AND ($4::text IS NULL OR category = $4) AND ($5::bigint IS NULL OR position < $5)
              AND (snoozed_until IS NULL OR snoozed_until <= now())
            ORDER BY position DESC LIMIT $6
            """,
            [userID, filter.archived, filter.unreadOnly, filter.category, filter.before, filter.limit + 1]
        ).rows
        let items = try rows.prefix(filter.limit).map { try $0.decode(InboxItem.self) }
        let next = rows.count > filter.limit ? try rows[filter.limit - 1].decode("position", as: Int64.self) : nil
        return (items, next)
    }

    /// Unread items in the inbox (not archived, not snoozed).
    func unreadCount(_ userID: String) async throws -> Int {
        try await pool.query(
            """
            SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL AND archived_at IS NULL
              AND (snoozed_until IS NULL OR snoozed_until <= now())
            """, [userID]
        ).rows[0].decode("unread", as: Int.self)
    }

    /// A change to one item.
    enum Change: Sendable {
        case read, unread, seen, archive, unarchive
        case snooze(until: Date)

        var assignment: String {
            switch self {
            case .read: "read_at = COALESCE(read_at, now()), seen_at = COALESCE(seen_at, now())"
            case .unread: "read_at = NULL"
            case .seen: "seen_at = COALESCE(seen_at, now())"
            case .archive: "archived_at = COALESCE(archived_at, now()), read_at = COALESCE(read_at, now())"
            case .unarchive: "archived_at = NULL"
            case .snooze: "snoozed_until = $3"
            }
        }
    }

    /// Apply `change` to item `id` of `userID`; nil when they have no such item.
    func apply(_ change: Change, to id: UUID, of userID: String) async throws -> InboxItem? {
        var parameters: [any PostgresEncodable] = [id, userID]
        if case .snooze(let until) = change { parameters.append(until) }
        return try await pool.query(
            "UPDATE notifications SET \(change.assignment) WHERE id = $1 AND user_id = $2 RETURNING \(InboxItem.columns)", parameters
        ).decode(InboxItem.self).first
    }

    func delete(_ id: UUID, of userID: String) async throws -> Bool {
        try await pool.query("DELETE FROM notifications WHERE id = $1 AND user_id = $2", [id, userID]).affectedRows == 1
    }

    /// Mark every unread inbox item read (of one category, if given); how many changed.
    func readAll(_ userID: String, category: String?) async throws -> Int {
        try await pool.query(
            """
            UPDATE notifications SET read_at = now(), seen_at = COALESCE(seen_at, now())
            WHERE user_id = $1 AND read_at IS NULL AND archived_at IS NULL AND ($2::text IS NULL OR category = $2)
            """, [userID, category]
        ).affectedRows
    }

    /// Archive every read item still in the inbox; how many moved.
    func archiveRead(_ userID: String) async throws -> Int {
        try await pool.query(
            "UPDATE notifications SET archived_at = now() WHERE user_id = $1 AND read_at IS NOT NULL AND archived_at IS NULL", [userID]
        ).affectedRows
    }
}
