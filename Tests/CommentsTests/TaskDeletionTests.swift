import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Comments

/// A task deleted in `tasks` takes its comments with it: through `task.deleted`, consumed here.
@Suite("comments: a deleted task's threads")
struct TaskDeletionTests {
    @Test func deletingATaskDeletesItsCommentsRepliesAndReactionsAndSaysSo() async throws {
        try await CommentsHarness.run { api in
            let doomed = try await api.project("WEB")
            let other = try #require(try await api.call(api.tasks, "POST", "/tasks", json: #"{"project": "WEB", "title": "Second task"}"#)["key"] as? String)
            let root = try #require(try await api.post("Root", on: "task:\(doomed)")["id"] as? String)
            let reply = try #require(try await api.post("Reply", on: "task:\(doomed)", replyTo: root)["id"] as? String)
            #expect(try await api.send(.put, "/comments/\(root)/reactions/heart").status.code < 300)
            let kept = try #require(try await api.post("Elsewhere", on: "task:\(other)")["id"] as? String)

            try await api.call(api.tasks, "DELETE", "/tasks/\(doomed)")
            try await waitUntil("the deleted task's comments are gone") {
                try await api.pool.query("SELECT 1 FROM comments WHERE entity = $1", ["task:\(doomed)"]).rows.isEmpty
            }
            let left = try await api.pool.query("SELECT id::text AS id FROM comments").rows.map { try $0.decode("id", as: String.self) }
            #expect(left == [kept.lowercased()], "the other task's comment stays")
            #expect(try await api.pool.query("SELECT 1 FROM comment_reactions").rows.isEmpty, "reactions went with their comment")

            let deleted = try await api.pool.query(
                "SELECT aggregate_id, actor, payload->>'moderated' AS moderated FROM recorded_events WHERE event_type = 'comment.deleted' ORDER BY aggregate_id"
            ).rows
            let ids = try deleted.map { try $0.decode("aggregate_id", as: String.self) }
            #expect(ids == [root, reply].map { $0.lowercased() }.sorted(), "one comment.deleted for the root and one for the reply")
            #expect(try deleted.allSatisfy { try $0.decode("actor", as: String?.self) == "alice" && $0.decode("moderated", as: String.self) == "false" })
            let events = try await EventCatalogue.recorded(in: api.pool)
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Comments"), events: events, requireAll: false)
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
