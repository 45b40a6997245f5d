import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Notifications

/// comments' `comment.mentioned`, from a real stream: each person mentioned is told once,
/// even when the event names them twice or arrives again, and the author never is.
@Suite("notifications: mentions")
struct MentionNotificationTests {
    @Test func eachMentionedPersonIsToldOnceAndNeverTheAuthor() async throws {
        try await NotificationsHarness.run { api in
            try await api.publish("user.registered", from: "auth", data: ["user_id": "ada", "email": "ada@example.com", "name": "Ada"])
            let mentioned = try await api.publish("comment.mentioned", from: "comments", aggregate: "c1", actor: "ada", data: [
                "comment_id": "00000000-0000-4000-c000-000000000001", "entity": "task:WEB-7", "project_key": "WEB", "author_id": "ada",
                "user_ids": ["bob", "ada", "bob", "cy"], "excerpt": "Can you review the copy?",
            ])
            try await TestEvents.publish(mentioned, redis: api.redis, prefix: api.streamPrefix)
            try await waitUntil("bob and cy are told") {
                let bob = try await api.stored(for: "bob"), cy = try await api.stored(for: "cy")
                return bob.count == 1 && cy.count == 1
            }
            // A later event on the same stream is consumed after the replay: by then the replay was skipped.
            try await api.publish("comment.mentioned", from: "comments", aggregate: "c2", actor: "ada", data: [
                "comment_id": "00000000-0000-4000-c000-000000000002", "entity": "task:WEB-7", "project_key": "WEB", "author_id": "ada",
                "user_ids": ["cy"], "excerpt": "Later",
            ])
            try await waitUntil("cy hears of the second comment") { try await api.stored(for: "cy").count == 2 }
            #expect(try await api.stored(for: "bob").map(\.title) == ["Ada mentioned you on WEB-7"])
            #expect(try await api.stored(for: "ada").filter { $0.kind == "mentioned" }.isEmpty, "the author is never told")
            let inbox = try await api.send(.get, "/notifications", token: try await api.token("bob")).json["data"] as? [[String: Any]] ?? []
            #expect(inbox.first?["category"] as? String == "mentions" && inbox.first?["body"] as? String == "“Can you review the copy?”", "\(inbox)")
        }
    }
}
