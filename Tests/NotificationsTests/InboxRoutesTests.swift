import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Notifications

/// The inbox and the internal notify route: every route's success and failure codes, and a
/// second user refused on every route of the first user's items.
@Suite("notifications: inbox routes")
struct InboxRoutesTests {
    static func notify(_ api: NotificationsHarness.Context, user: String = "alice", category: String = "mentions", title: String, key: String? = nil) async throws -> APITestClient.Reply {
        var body = #"{"user_id": "\#(user)", "category": "\#(category)", "title": "\#(title)", "body": "Body of \#(title)", "email": false"#
        if let key { body += #", "idempotency_key": "\#(key)""# }
        return try await api.send(.post, "/notifications", json: body + "}", token: try await api.serviceToken())
    }

    @Test func listPageFilterAndChangeItems() async throws {
        try await NotificationsHarness.run { api in
            for index in 1...5 { #expect(try await Self.notify(api, title: "N\(index)").status == .created) }
            #expect(try await Self.notify(api, category: "orders", title: "Order").status == .created)
            let alice = try await api.token()

            let first = try await api.send(.get, "/notifications?limit=4", token: alice)
            #expect(first.status == .ok)
            let items = try #require(first.json["data"] as? [[String: Any]])
            #expect(items.map { $0["title"] as? String } == ["Order", "N5", "N4", "N3"], "newest first")
            let cursor = try #require(first.json["next_cursor"] as? String)
            let second = try await api.send(.get, "/notifications?limit=4&cursor=\(cursor)", token: alice)
            #expect((second.json["data"] as? [[String: Any]])?.map { $0["title"] as? String } == ["N2", "N1"])
            #expect(second.json["next_cursor"] == nil, "the last page has no cursor")
            let orders = try await api.send(.get, "/notifications?category=orders", token: alice)
            #expect((orders.json["data"] as? [[String: Any]])?.count == 1)
            #expect(try await api.send(.get, "/notifications/unread-count", token: alice).json["unread"] as? Int == 6)

            let id = try #require(items[1]["id"] as? String)
            let read = try await api.send(.post, "/notifications/\(id)/read", token: alice)
            #expect(read.status == .ok && read.json["read_at"] is String && read.json["seen_at"] is String)
            #expect(try await api.send(.get, "/notifications?unread=true", token: alice).json["data"].map { ($0 as? [Any])?.count } == 5)
            #expect(try await api.send(.post, "/notifications/\(id)/unread", token: alice).json["read_at"] == nil)
            #expect(try await api.send(.post, "/notifications/\(id)/seen", token: alice).json["seen_at"] is String)
            #expect(try await api.send(.post, "/notifications/\(id)/archive", token: alice).json["archived_at"] is String)
            #expect((try await api.send(.get, "/notifications?archived=true", token: alice).json["data"] as? [[String: Any]])?.count == 1)
            #expect(try await api.send(.post, "/notifications/\(id)/unarchive", token: alice).json["archived_at"] == nil)

            let snoozed = try await api.send(.post, "/notifications/\(id)/snooze", json: #"{"until": "2099-01-01T00:00:00Z"}"#, token: alice)
            #expect(snoozed.status == .ok && snoozed.json["snoozed_until"] is String)
            #expect((try await api.send(.get, "/notifications", token: alice).json["data"] as? [[String: Any]])?.count == 5, "a snoozed item waits")

            #expect(try await api.send(.post, "/notifications/read-all?category=orders", token: alice).json["updated"] as? Int == 1)
            #expect(try await api.send(.post, "/notifications/read-all", token: alice).json["updated"] as? Int == 4, "N1 to N4; the others are read already")
            #expect(try await api.send(.post, "/notifications/archive-read", token: alice).json["archived"] as? Int == 6)
            #expect(try await api.send(.delete, "/notifications/\(id)", token: alice).status == .noContent)
            #expect(try await api.send(.delete, "/notifications/\(id)", token: alice).status == .notFound)
        }
    }

    @Test func anotherUsersItemIsNotFoundOnEveryRoute() async throws {
        try await NotificationsHarness.run { api in
            let created = try await Self.notify(api, title: "Private")
            let id = try #require(created.json["id"] as? String)
            let bob = try await api.token("bob")
            for action in ["read", "unread", "seen", "archive", "unarchive"] {
                let reply = try await api.send(.post, "/notifications/\(id)/\(action)", token: bob)
                #expect(reply.status == .notFound && reply.errorCode == "not_found", "\(action)")
            }
            #expect(try await api.send(.post, "/notifications/\(id)/snooze", json: #"{"until": "2099-01-01T00:00:00Z"}"#, token: bob).status == .notFound)
            #expect(try await api.send(.delete, "/notifications/\(id)", token: bob).status == .notFound)
            #expect((try await api.send(.get, "/notifications", token: bob).json["data"] as? [Any])?.isEmpty == true)
            #expect(try await api.send(.post, "/notifications/read-all", token: bob).json["updated"] as? Int == 0)
            #expect(try await api.stored(for: "alice").count == 1)
            let readAt = try await api.pool.query("SELECT read_at FROM notifications").rows[0].decode("read_at", as: Date?.self)
            #expect(readAt == nil, "bob changed nothing")
        }
    }

    @Test func inboxFailureModes() async throws {
        try await NotificationsHarness.run { api in
            let alice = try await api.token()
            #expect(try await api.send(.get, "/notifications", token: nil).status == .unauthorized)
            for query in ["limit=0", "limit=101", "cursor=abc", "cursor=-4", "unread=yes", "archived=2", "category=spam"] {
                let reply = try await api.send(.get, "/notifications?\(query)", token: alice)
                #expect(reply.status == .badRequest, "\(query)")
            }
            #expect(try await api.send(.post, "/notifications/read-all?category=spam", token: alice).status == .badRequest)
            #expect(try await api.send(.post, "/notifications/not-a-uuid/read", token: alice).status == .notFound)
            let id = try #require(try await Self.notify(api, title: "T").json["id"] as? String)
            for body in [#"{"until": "2000-01-01T00:00:00Z"}"#, #"{"until": "tomorrow"}"#, #"{}"#, "not json"] {
                let reply = try await api.send(.post, "/notifications/\(id)/snooze", json: body, token: alice)
                #expect(reply.status == .badRequest, "\(body)")
            }
        }
    }

    @Test func servicesNotifyDirectlyOnceperKeyAndOthersAreRefused() async throws {
        try await NotificationsHarness.run { api in
            let first = try await Self.notify(api, title: "Assigned", key: "task-42")
            #expect(first.status == .created && first.json["id"] is String)
            let again = try await Self.notify(api, title: "Assigned", key: "task-42")
            #expect(again.status == .ok && again.json["id"] is NSNull, "the same key stores once: \(again.body)")
            #expect(try await api.stored(for: "alice").count == 1)

            let body = #"{"user_id": "alice", "category": "mentions", "title": "x", "body": "y"}"#
            #expect(try await api.send(.post, "/notifications", json: body, token: try await api.token()).status == .forbidden, "users may not")
            #expect(try await api.send(.post, "/notifications", json: body, token: try await api.serviceToken(scopes: ["tasks:read"])).status == .forbidden)
            #expect(try await api.send(.post, "/notifications", json: body, token: nil).status == .unauthorized)
            let service = try await api.serviceToken()
            for (bad, field) in [
                (#"{"user_id": "alice", "category": "spam", "title": "x", "body": "y"}"#, "category"),
                (#"{"user_id": "alice", "category": "mentions", "title": " ", "body": "y"}"#, "title"),
                (#"{"user_id": "", "category": "mentions", "title": "x", "body": "y"}"#, "user_id"),
                (#"{"user_id": "alice", "category": "mentions", "title": "x", "body": ""}"#, "body"),
            ] {
                let reply = try await api.send(.post, "/notifications", json: bad, token: service)
                #expect(reply.status == .badRequest && reply.invalidFields.contains(field), "\(bad): \(reply.body)")
            }
            #expect(try await api.send(.post, "/notifications", json: #"{"user_id": "alice"}"#, token: service).status == .badRequest)
            #expect(try await api.stored(for: "alice").count == 1, "nothing half-written")
        }
    }
}
