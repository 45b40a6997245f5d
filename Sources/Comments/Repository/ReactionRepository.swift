import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reactions: one row per comment, reaction and person, so adding twice changes nothing.
struct ReactionRepository: Sendable {
    let pool: PostgresPool

    /// Add `reaction` by `user` to `comment`; whether it is new.
    func add(_ reaction: Reaction, to comment: UUID, by user: String) async throws -> Bool {
        try await pool.query(
            "INSERT INTO comment_reactions (comment_id, reaction, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            [comment, reaction.rawValue, user]
        ).affectedRows == 1
    }

    /// Remove `user`'s `reaction` from `comment`; whether there was one.
    func remove(_ reaction: Reaction, from comment: UUID, by user: String) async throws -> Bool {
        try await pool.query(
            "DELETE FROM comment_reactions WHERE comment_id = $1 AND reaction = $2 AND user_id = $3", [comment, reaction.rawValue, user]
        ).affectedRows == 1
    }
}
