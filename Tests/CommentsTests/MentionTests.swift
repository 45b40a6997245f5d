import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Comments

@Suite("comments: mentions")
struct MentionTests {
    @Test func mentionsResolveInOneCallAndNameOnlyMembersOtherThanTheAuthor() async throws {
        try await CommentsHarness.run { api in
            try await api.people("alice", "bob", "carol", "dave")
            let task = try await api.project("WEB", members: ["bob": "member", "dave": "member"])
            let comment = try await api.post("Hi @bob, @Bob and @carol and @alice; `@dave` is code", on: "task:\(task)")
            #expect(comment["mentions"] as? [String] == ["bob"], "carol is not in the project, alice wrote it, dave is in code: \(comment)")
            let id = try #require(comment["id"] as? String)
            let edited = try await api.send(.patch, "/comments/\(id)", json: #"{"body": "Hi @bob and @dave"}"#)
            #expect(edited.json["mentions"] as? [String] == ["bob", "dave"])

            let events = try await EventCatalogue.recorded(in: api.pool)
            let told = events.filter { $0.type == "comment.mentioned" }.map { $0.data["user_ids"] }
            #expect(told == [.array([.string("bob")]), .array([.string("dave")])], "each person is told once: \(told)")
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Comments"), events: events, requireAll: false)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test func usersDownRefusesOnlyCommentsThatMention() async throws {
        try await CommentsHarness.run { api in
            let task = try await api.project("WEB")
            api.users.stop()
            let mentioning = try await api.send(.post, "/comments", json: #"{"entity": "task:\#(task)", "body": "cc @bob"}"#)
            #expect(mentioning.status == .serviceUnavailable && mentioning.errorCode == "upstream_unavailable", "\(mentioning.body)")
            #expect(try await api.pool.query("SELECT count(*)::int AS n FROM comments").rows[0].decode("n", as: Int.self) == 0, "nothing half-written")
            _ = try await api.post("No mentions here; mail me at bob@example.com", on: "task:\(task)")
        }
    }
}
