import FlotillaKit
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A few conversations on the demo workspace's first tasks (``DemoWorkspace``): threads with
/// replies, a mention of the demo user, an edit with its revision, and reactions. Ids are
/// fixed, so running `comments seed` again changes nothing.
enum DemoComments {
    /// `(task, author, body, reply to (an index into this list), reactions)`.
    static let conversation: [(task: String, author: String, body: String, replyTo: Int?, reactions: [(String, Reaction)])] = [
        ("WEB-1", "demo-alex", "First draft of the copy is in the doc. @demo can you check the **tone** of the intro?", nil, [("demo-user", .eyes)]),
        ("WEB-1", "demo-user", "Reads well. I'd cut the second paragraph.", 0, [("demo-alex", .plusOne)]),
        ("WEB-1", "demo-sam", "Agreed, and the CTA should say `Start free`.", 0, [("demo-user", .plusOne), ("demo-alex", .plusOne)]),
        ("WEB-2", "demo-user", "Shortlist: a headless CMS or the static generator. @alex @sam opinions?", nil, [("demo-sam", .rocket)]),
        ("WEB-2", "demo-sam", "Static generator: fewer moving parts for a site this size.", 3, []),
        ("OPS-1", "demo-alex", "Certificates expire in 21 days; renewal is scripted, needs a dry run first.", nil, [("demo-user", .heart)]),
    ]

    static func id(_ index: Int) -> String { "00000000-0000-4000-c000-\(String(index + 1).leftPadded(to: 12))" }

    @Sendable static func seed(_ pool: PostgresPool, _ logger: Logger) async throws -> String {
        let handles = Dictionary(uniqueKeysWithValues: DemoWorkspace.people.map { ($0.handle, $0.user) })
        let inserted = try await pool.withTransaction { session -> Bool in
            var made = false
            let start = Date().addingTimeInterval(-3 * 86_400)
            for (index, comment) in conversation.enumerated() {
                let entity = EntityReference(kind: .task, id: comment.task)
                let thread = comment.replyTo.map(id)
                let mentions = MarkdownText.mentions(in: comment.body).compactMap { handles[$0] }
                let rows = try await session.query(
                    """
                    INSERT INTO comments (id, entity, project, thread_id, author_id, body, plain_text, mentions, created_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id
                    """,
                    [id(index), entity.description, entity.project, thread, comment.author, comment.body, MarkdownText.plainText(comment.body), mentions,
                     start.addingTimeInterval(Double(index) * 3_600)]
                ).rows
                guard !rows.isEmpty else { continue }
                made = true
                if let thread { try await session.query("UPDATE comments SET reply_count = reply_count + 1 WHERE id = $1", [thread]) }
                for (user, reaction) in comment.reactions {
                    try await session.query("INSERT INTO comment_reactions (comment_id, reaction, user_id) VALUES ($1, $2, $3)", [id(index), reaction.rawValue, user])
                }
            }
            // The first comment was edited a day later: its first wording is kept as revision 1.
            if made {
                try await session.query(
                    """
                    INSERT INTO comment_revisions (comment_id, number, body, written_at, replaced_at) VALUES ($1, 1, $2, $3, $4)
                    """,
                    [id(0), "First draft of the copy is in the doc.", start, start.addingTimeInterval(86_400)])
                try await session.query("UPDATE comments SET edited_at = $2 WHERE id = $1", [id(0), start.addingTimeInterval(86_400)])
            }
            return made
        }
        let message = inserted ? "seeded \(conversation.count) demo comments on WEB-1, WEB-2 and OPS-1" : "demo comments already present"
        logger.info("\(message)")
        return message
    }
}
