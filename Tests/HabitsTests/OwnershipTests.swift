import FlotillaKit
import FlotillaKitTesting
import HTTPTypes
import Testing

@testable import Habits

@Suite("habits: ownership")
struct OwnershipTests {
    @Test func anotherUserGets404OnEveryRoute() async throws {
        try await HabitsHarness.run { api in
            let alice = try await api.token("alice")
            let bob = try await api.token("bob")
            let id = try await api.createHabit(token: alice)
            let day = HabitsHarness.today.description
            _ = try await api.send(.put, "/habits/\(id)/check-ins/\(day)", token: alice)
            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/habits/\(id)", nil), (.patch, "/habits/\(id)", #"{"name": "mine now"}"#), (.delete, "/habits/\(id)", nil),
                (.post, "/habits/\(id)/archive", nil), (.post, "/habits/\(id)/unarchive", nil),
                (.put, "/habits/\(id)/check-ins/\(day)", nil), (.delete, "/habits/\(id)/check-ins/\(day)", nil),
                (.get, "/habits/\(id)/check-ins", nil), (.get, "/habits/\(id)/stats", nil),
            ]
            for (method, path, body) in routes {
                let reply = try await api.send(method, path, json: body, token: bob)
                #expect(reply.status == .notFound, "\(method) \(path): \(reply.status)")
                #expect(reply.json["message"] as? String == "No habit with id '\(id)'.", "the same answer as for a missing habit")
            }
            let bobs = try await api.send(.get, "/habits", token: bob)
            #expect((bobs.json["data"] as? [Any])?.isEmpty == true)
            let today = try await api.send(.get, "/habits/today", token: bob)
            #expect((today.json["data"] as? [Any])?.isEmpty == true)
            // Nothing changed.
            let habit = try await api.send(.get, "/habits/\(id)", token: alice)
            #expect(habit.json["name"] as? String == "Read")
            let checkIns = try await api.send(.get, "/habits/\(id)/check-ins", token: alice)
            #expect((checkIns.json["data"] as? [Any])?.count == 1)
        }
    }

    @Test func adminsReadButDoNotChange() async throws {
        try await HabitsHarness.run { api in
            let alice = try await api.token("alice")
            let admin = try await api.token("root", roles: [.admin])
            let id = try await api.createHabit(token: alice)
            #expect(try await api.send(.get, "/habits/\(id)", token: admin).status == .ok)
            #expect(try await api.send(.get, "/habits/\(id)/stats", token: admin).status == .ok)
            let listed = try await api.send(.get, "/habits?user_id=alice", token: admin)
            #expect((listed.json["data"] as? [Any])?.count == 1)
            let patch = try await api.send(.patch, "/habits/\(id)", json: #"{"name": "x"}"#, token: admin)
            #expect(patch.status == .forbidden)
            #expect(try await api.send(.delete, "/habits/\(id)", token: admin).status == .forbidden)
        }
    }
}
