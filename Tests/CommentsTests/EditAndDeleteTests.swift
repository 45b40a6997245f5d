import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Comments

@Suite("comments: edits, revisions, deletion and reactions")
struct EditAndDeleteTests {
    @Test func anEditWithinTheGracePeriodKeepsNoRevision() async throws {
        try await CommentsHarness.run { api in
            let task = try await api.project("WEB", members: ["bob": "member"])
            let id = try #require(try await api.post("Teh plan", on: "task:\(task)")["id"] as? String)
            let fixed = try await api.send(.patch, "/comments/\(id)", json: #"{"body": "The plan"}"#)
            #expect(fixed.status == .ok && fixed.json["body"] as? String == "The plan" && fixed.json["edited_at"] == nil, "\(fixed.body)")
            #expect((try await api.send(.get, "/comments/\(id)/revisions").json["data"] as? [Any])?.isEmpty == true)
            let other = try await api.send(.patch, "/comments/\(id)", json: #"{"body": "Bob's now"}"#, as: "bob")
            #expect(other.status == .forbidden && other.errorCode == "forbidden", "only the author edits: \(other.body)")
        }
    }

    @Test func laterEditsKeepAtMostTwentyRevisionsNewestFirst() async throws {
        try await CommentsHarness.run(environment: ["COMMENTS_EDIT_GRACE_SECONDS": "0"]) { api in
            let task = try await api.project("WEB")
            let id = try #require(try await api.post("version 0", on: "task:\(task)")["id"] as? String)
            for version in 1...22 {
                let edited = try await api.send(.patch, "/comments/\(id)", json: #"{"body": "version \#(version)"}"#)
                #expect(edited.status == .ok && edited.json["edited_at"] is String, "\(edited.body)")
            }
            let unchanged = try await api.send(.patch, "/comments/\(id)", json: #"{"body": "version 22"}"#)
            #expect(unchanged.status == .ok)
            let revisions = try #require(try await api.send(.get, "/comments/\(id)/revisions").json["data"] as? [[String: Any]])
            #expect(revisions.count == EditPolicy.maxRevisions, "the same body again is no revision")
            #expect(revisions.first?["number"] as? Int == 22 && revisions.first?["body"] as? String == "version 21")
            #expect(revisions.last?["number"] as? Int == 3 && revisions.last?["body"] as? String == "version 2", "the oldest are pruned")
        }
    }

    @Test func deletingARootWithRepliesLeavesAPlaceholderUntilItsLastReplyGoes() async throws {
        try await CommentsHarness.run { api in
            let task = try await api.project("WEB", members: ["bob": "member", "ada": "admin"])
            let entity = "task:\(task)"
            let root = try #require(try await api.post("Root", on: entity)["id"] as? String)
            let reply = try #require(try await api.post("Reply", on: entity, replyTo: root, as: "bob")["id"] as? String)
            let second = try #require(try await api.post("Another", on: entity, replyTo: root, as: "bob")["id"] as? String)
            _ = try await api.send(.put, "/comments/\(root)/reactions/heart", as: "bob")

            let refused = try await api.send(.delete, "/comments/\(root)", as: "bob")
            #expect(refused.status == .forbidden, "a member deletes only their own: \(refused.body)")
            #expect(try await api.send(.delete, "/comments/\(root)").status == .noContent)
            let placeholder = try await api.send(.get, "/comments/\(root)", as: "bob")
            #expect(placeholder.status == .ok && placeholder.json["body"] as? String == "" && placeholder.json["deleted_at"] is String, "\(placeholder.body)")
            #expect((placeholder.json["reactions"] as? [Any])?.isEmpty == true)
            #expect((try await api.send(.get, "/comments?entity=\(entity)").json["data"] as? [[String: Any]])?.count == 1, "the thread stays readable")
            #expect(try await api.send(.patch, "/comments/\(root)", json: #"{"body": "back"}"#).status == .gone)
            #expect(try await api.send(.put, "/comments/\(root)/reactions/eyes").status == .gone)
            #expect(try await api.send(.delete, "/comments/\(root)").status == .notFound, "a placeholder is already deleted")
            #expect(try await api.send(.get, "/comment-counts?entities=\(entity)").json["data"] as? [String: Int] == [entity: 2])

            // An admin of the project moderates; the last reply takes the placeholder with it.
            #expect(try await api.send(.delete, "/comments/\(reply)", as: "ada").status == .noContent)
            #expect(try await api.send(.get, "/comments/\(root)").json["reply_count"] as? Int == 1)
            #expect(try await api.send(.delete, "/comments/\(second)", as: "bob").status == .noContent)
            #expect(try await api.send(.get, "/comments/\(root)").status == .notFound)

            let deleted = try await EventCatalogue.recorded(in: api.pool).filter { $0.type == "comment.deleted" }
            #expect(deleted.count == 3)
            #expect(deleted.map { $0.data["moderated"] } == [.bool(false), .bool(true), .bool(false)])
            #expect(deleted.map { $0.data["placeholder"] } == [.bool(true), .bool(false), .bool(false)])
        }
    }

    @Test func aNewReactionIs201AndTheSameAgain200() async throws {
        try await CommentsHarness.run { api in
            let task = try await api.project("WEB", members: ["bob": "member"])
            let id = try #require(try await api.post("React to me", on: "task:\(task)")["id"] as? String)
            #expect(try await api.send(.put, "/comments/\(id)/reactions/heart").status == .created)
            let again = try await api.send(.put, "/comments/\(id)/reactions/heart")
            #expect(again.status == .ok)
            _ = try await api.send(.put, "/comments/\(id)/reactions/+1", as: "bob")
            _ = try await api.send(.put, "/comments/\(id)/reactions/heart", as: "bob")
            let reactions = try #require(try await api.send(.get, "/comments/\(id)").json["reactions"] as? [[String: Any]])
            #expect(reactions.compactMap { $0["reaction"] as? String } == ["+1", "heart"])
            #expect(reactions.compactMap { $0["count"] as? Int } == [1, 2])
            #expect(reactions.compactMap { $0["reacted"] as? Bool } == [false, true], "alice reacted with heart, not +1")
            #expect(try await api.send(.delete, "/comments/\(id)/reactions/heart").status == .noContent)
            #expect(try await api.send(.delete, "/comments/\(id)/reactions/heart").status == .noContent, "taking back twice is harmless")
            let bad = try await api.send(.put, "/comments/\(id)/reactions/thumbsup")
            #expect(bad.status == .badRequest && bad.invalidFields == ["reaction"] && bad.body.contains("rocket"), "\(bad.body)")
            let after = try #require(try await api.send(.get, "/comments/\(id)", as: "bob").json["reactions"] as? [[String: Any]])
            #expect(after.compactMap { $0["count"] as? Int } == [1, 1] && after.compactMap { $0["reacted"] as? Bool } == [true, true])
        }
    }
}
