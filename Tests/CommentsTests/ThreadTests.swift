import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Comments

@Suite("comments: threads, access and counts")
struct ThreadTests {
    @Test func aReplyToAReplyJoinsTheRootsThreadAndPagesStayInOrder() async throws {
        try await CommentsHarness.run { api in
            let task = try await api.project("WEB", members: ["bob": "member"])
            let entity = "task:\(task)"
            let root = try #require(try await api.post("First **draft** is up", on: entity)["id"] as? String)
            let reply = try await api.post("Looks good", on: entity, replyTo: root, as: "bob")
            #expect(reply["thread_id"] as? String == root)
            let nested = try await api.post("Replying to Bob", on: entity, replyTo: try #require(reply["id"] as? String))
            #expect(nested["thread_id"] as? String == root, "a reply to a reply attaches to the thread's root")
            for index in 1...4 { _ = try await api.post("Thread \(index)", on: entity, as: "bob") }

            let first = try await api.send(.get, "/comments?entity=\(entity)&limit=3")
            let firstPage = try #require(first.json["data"] as? [[String: Any]])
            #expect(firstPage.compactMap { $0["body"] as? String } == ["First **draft** is up", "Thread 1", "Thread 2"], "\(first.body)")
            #expect(firstPage[0]["reply_count"] as? Int == 2 && firstPage[0]["thread_id"] == nil)
            let cursor = try #require(first.json["next_cursor"] as? String)
            let second = try await api.send(.get, "/comments?entity=\(entity)&limit=3&cursor=\(cursor)")
            #expect((second.json["data"] as? [[String: Any]])?.compactMap { $0["body"] as? String } == ["Thread 3", "Thread 4"])
            #expect(second.json["next_cursor"] == nil, "the last page has no next")

            let replies = try await api.send(.get, "/comments/\(root)/replies", as: "bob")
            #expect((replies.json["data"] as? [[String: Any]])?.compactMap { $0["body"] as? String } == ["Looks good", "Replying to Bob"])
            let found = try await api.send(.get, "/comments?entity=\(entity)&q=replying")
            #expect((found.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [root], "a thread matches by its replies too")
            let literal = try await api.send(.get, "/comments?entity=\(entity)&q=%25")
            #expect((literal.json["data"] as? [[String: Any]])?.isEmpty == true, "% is matched literally")
            #expect(try await api.send(.get, "/comments/\(root)").json["body"] as? String == "First **draft** is up")
        }
    }

    @Test func accessIsTheEntityOwnersDecision() async throws {
        try await CommentsHarness.run { api in
            let task = try await api.project("WEB", members: ["vic": "viewer"])
            let entity = "task:\(task)"
            let id = try #require(try await api.post("Hello", on: entity)["id"] as? String)
            // A viewer can read the task, so can read and add comments.
            #expect(try await api.send(.get, "/comments?entity=\(entity)", as: "vic").status == .ok)
            _ = try await api.post("I can see this", on: entity, as: "vic")
            _ = try await api.post("On the project itself", on: "project:WEB", as: "vic")
            // A stranger is told nothing exists, on every route.
            let stranger: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/comments?entity=\(entity)", nil), (.post, "/comments", #"{"entity": "\#(entity)", "body": "hi"}"#),
                (.get, "/comments/\(id)", nil), (.patch, "/comments/\(id)", #"{"body": "mine now"}"#), (.delete, "/comments/\(id)", nil),
                (.get, "/comments/\(id)/replies", nil), (.get, "/comments/\(id)/revisions", nil), (.put, "/comments/\(id)/reactions/heart", nil),
                (.delete, "/comments/\(id)/reactions/heart", nil), (.get, "/comment-counts?entities=\(entity)", nil),
                (.post, "/comments", #"{"entity": "task:WEB-999", "body": "hi"}"#),
            ]
            for (method, path, json) in stranger {
                let reply = try await api.send(method, path, json: json, as: "zed")
                #expect(reply.status == .notFound && reply.errorCode == "not_found", "\(method) \(path): \(reply.body)")
            }
            #expect(try await api.send(.get, "/comments?entity=task:WEB-999").status == .notFound, "no such task")
            #expect(try await api.pool.query("SELECT count(*)::int AS n FROM comments").rows[0].decode("n", as: Int.self) == 3)
        }
    }

    @Test func badInputIsNamedAndNothingIsWritten() async throws {
        try await CommentsHarness.run(environment: ["COMMENTS_MAX_BODY_CHARACTERS": "100"]) { api in
            let task = try await api.project("WEB")
            let other = try await api.project("OPS")
            let root = try #require(try await api.post("Root", on: "task:\(task)")["id"] as? String)
            let cases: [(String, Set<String>)] = [
                (#"{"entity": "issue:WEB-1", "body": "x"}"#, ["entity"]),
                (#"{"entity": "task:web-1", "body": "x"}"#, ["entity"]),
                (#"{"entity": "task:\#(task)", "body": "   \n "}"#, ["body"]),
                (#"{"entity": "task:\#(task)", "body": "\#(String(repeating: "a", count: 101))"}"#, ["body"]),
                (#"{"entity": "task:\#(task)", "body": "x", "reply_to": "not-a-uuid"}"#, ["reply_to"]),
                (#"{"entity": "task:\#(task)", "body": 5, "colour": "red"}"#, ["body", "colour"]),
                (#"{"body": "x"}"#, ["entity"]),
            ]
            for (json, fields) in cases {
                let reply = try await api.send(.post, "/comments", json: json)
                #expect(reply.status == .badRequest && reply.invalidFields == fields, "\(json): \(reply.body)")
            }
            let elsewhere = try await api.send(.post, "/comments", json: #"{"entity": "task:\#(other)", "body": "x", "reply_to": "\#(root)"}"#)
            #expect(elsewhere.status == .notFound, "a reply must be on its thread's entity: \(elsewhere.body)")
            for (query, parameter) in [("", "entity"), ("?entity=nope", "entity"), ("?entity=task:\(task)&limit=0", "limit"), ("?entity=task:\(task)&cursor=garbage", "cursor")] {
                let refused = try await api.send(.get, "/comments\(query)")
                #expect(refused.errorCode == "invalid_query" && (refused.json["details"] as? [String: [String: Any]])?["problems"]?.keys.contains(parameter) == true, "\(query): \(refused.body)")
            }
            #expect(try await api.send(.get, "/comments/not-a-uuid").status == .notFound)
            #expect(try await api.send(.patch, "/comments/\(root)", json: #"{"body": "x", "entity": "task:\#(other)"}"#).invalidFields == ["entity"])
            #expect(try await api.pool.query("SELECT count(*)::int AS n FROM comments").rows[0].decode("n", as: Int.self) == 1)
        }
    }

    @Test func countsForManyEntitiesInOneRequest() async throws {
        try await CommentsHarness.run { api in
            let first = try await api.project("WEB", members: ["bob": "member"])
            let second = try #require(try await api.call(api.tasks, "POST", "/tasks", json: #"{"project": "WEB", "title": "Second"}"#)["key"] as? String)
            let root = try #require(try await api.post("One", on: "task:\(first)")["id"] as? String)
            _ = try await api.post("Two", on: "task:\(first)", replyTo: root, as: "bob")
            _ = try await api.post("Three", on: "task:\(second)")
            let counts = try await api.send(.get, "/comment-counts?entities=task:\(first),task:\(second),task:WEB-77,project:WEB", as: "bob")
            #expect(counts.json["data"] as? [String: Int] == ["task:\(first)": 2, "task:\(second)": 1, "task:WEB-77": 0, "project:WEB": 0], "\(counts.body)")
            let many = (1...101).map { "task:WEB-\($0)" }.joined(separator: ",")
            for query in ["?entities=\(many)", "?entities=task:WEB-1,bogus", ""] {
                let refused = try await api.send(.get, "/comment-counts\(query)")
                #expect(refused.errorCode == "invalid_query" && refused.body.contains("entities"), "\(refused.body)")
            }
        }
    }

    @Test func theOwnerDownServesCachedAnswersAndRefusesTheRest() async throws {
        try await CommentsHarness.run { api in
            let task = try await api.project("WEB", members: ["bob": "member"])
            _ = try await api.post("Before the outage", on: "task:\(task)")
            api.tasks.stop()
            #expect(try await api.send(.get, "/comments?entity=task:\(task)").status == .ok, "alice's access is cached")
            let uncached = try await api.send(.get, "/comments?entity=task:\(task)", as: "bob")
            #expect(uncached.status == .serviceUnavailable && uncached.errorCode == "upstream_unavailable" && uncached.headers[.retryAfter] != nil, "\(uncached.body)")
            #expect(try await api.send(.post, "/comments", json: #"{"entity": "project:WEB", "body": "projects still answers"}"#, as: "bob").status == .created)
        }
    }
}
