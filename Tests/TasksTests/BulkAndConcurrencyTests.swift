import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Tasks

@Suite("tasks: bulk updates and concurrent creates")
struct BulkAndConcurrencyTests {
    @Test func fiftyConcurrentCreatesGetFiftyDistinctKeys() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB")
            let token = try await api.token()
            let replies = try await api.api.client.burst(
                50, "POST", "/tasks", headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: #"{"project": "WEB", "title": "Rush"}"#)
            #expect(replies.allSatisfy { $0.status == 201 }, "\(replies.filter { $0.status != 201 }.map(\.body))")
            let numbers = try await api.pool.query("SELECT number FROM tasks ORDER BY number").rows.map { try $0.decode("number", as: Int.self) }
            #expect(numbers == Array(1...50), "no duplicate, no gap")
            #expect(try await api.send(.delete, "/tasks/WEB-50", token: token).status == .noContent)
            #expect(try await api.task(#"{"project": "WEB", "title": "After"}"#)["key"] as? String == "WEB-51", "the last number is not reused")
        }
    }

    @Test func aBulkUpdateIsAllOrNothing() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB", members: ["bob": "member"])
            try await api.project("OPS", owner: "carol")
            let alice = try await api.token()
            for index in 1...3 { try await api.task(#"{"project": "WEB", "title": "T\#(index)"}"#) }
            try await api.task(#"{"project": "WEB", "title": "Blocker"}"#)
            _ = try await api.send(.post, "/tasks/WEB-3/dependencies", json: #"{"blocked_by": "WEB-4"}"#, token: alice)
            let doing = try await api.state("Doing")
            let done = try await api.state("Done")

            let moved = try await api.send(.post, "/tasks/bulk", json: #"{"tasks": ["WEB-1", "WEB-2"], "changes": {"state_id": "\#(doing)", "priority": "high", "assignees": ["bob"]}}"#, token: alice)
            #expect(moved.status == .ok, "\(moved.body)")
            #expect((moved.json["data"] as? [[String: Any]])?.compactMap { $0["priority"] as? String } == ["high", "high"])

            // WEB-3 is blocked: nothing moves, and the answer says why, per task.
            let refused = try await api.send(.post, "/tasks/bulk", json: #"{"tasks": ["WEB-1", "WEB-2", "WEB-3"], "changes": {"state_id": "\#(done)"}}"#, token: alice)
            #expect(refused.status == .conflict && refused.errorCode == "bulk_update_refused", "\(refused.body)")
            let errors = (refused.json["details"] as? [String: Any])?["errors"] as? [String: String] ?? [:]
            #expect(Array(errors.keys) == ["WEB-3"] && errors["WEB-3"]?.contains("WEB-4") == true)
            let states = try await api.pool.query("SELECT key, state_group FROM tasks WHERE key IN ('WEB-1', 'WEB-2') ORDER BY key").rows
                .map { try $0.decode("state_group", as: String.self) }
            #expect(states == ["started", "started"], "the whole bulk rolled back")
            let completedEvents = try await EventCatalogue.recorded(in: api.pool).filter { $0.type == "task.completed" }
            #expect(completedEvents.isEmpty, "no event escaped the rolled-back transaction")

            // Tasks the caller cannot see, or a change they may not make, are named before anything runs.
            let mixed = try await api.send(.post, "/tasks/bulk", json: #"{"tasks": ["WEB-1", "OPS-1", "WEB-99"], "changes": {"assignees": ["mallory"]}}"#, token: alice)
            #expect(mixed.status == .conflict)
            let named = (mixed.json["details"] as? [String: Any])?["errors"] as? [String: String] ?? [:]
            #expect(Set(named.keys) == ["WEB-1", "OPS-1", "WEB-99"], "\(mixed.body)")

            let invalid = try await api.send(.post, "/tasks/bulk", json: #"{"tasks": [], "changes": {"title": "x", "priority": "p0"}}"#, token: alice)
            #expect(invalid.status == .badRequest && invalid.invalidFields == ["tasks", "changes.title", "changes.priority"], "\(invalid.body)")
            let tooMany = (1...101).map { "\"WEB-\($0)\"" }.joined(separator: ",")
            let limit = try await api.send(.post, "/tasks/bulk", json: #"{"tasks": [\#(tooMany)], "changes": {"priority": "low"}}"#, token: alice)
            #expect(limit.status == .badRequest && limit.invalidFields == ["tasks"])
        }
    }
}
