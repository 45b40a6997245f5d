import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Tasks

@Suite("tasks: dependencies, relations and sub-tasks")
struct DependencyTests {
    @Test func cyclesOfTwoAndFiveAreRefusedWithTheCycle() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB")
            let alice = try await api.token()
            for index in 1...5 { try await api.task(#"{"project": "WEB", "title": "Step \#(index)"}"#) }
            // WEB-1 blocks WEB-2 blocks ... WEB-5.
            for index in 1...4 {
                let reply = try await api.send(.post, "/tasks/WEB-\(index + 1)/dependencies", json: #"{"blocked_by": "WEB-\#(index)"}"#, token: alice)
                #expect(reply.status == .created, "\(reply.body)")
            }
            let two = try await api.send(.post, "/tasks/WEB-1/dependencies", json: #"{"blocked_by": "WEB-2"}"#, token: alice)
            #expect(two.status == .conflict && two.errorCode == "dependency_cycle", "\(two.body)")
            #expect((two.json["details"] as? [String: Any])?["cycle"] as? [String] == ["WEB-1", "WEB-2", "WEB-1"])
            let five = try await api.send(.post, "/tasks/WEB-5/dependencies", json: #"{"blocks": "WEB-1"}"#, token: alice)
            #expect(five.status == .conflict && five.errorCode == "dependency_cycle", "\(five.body)")
            #expect((five.json["details"] as? [String: Any])?["cycle"] as? [String] == ["WEB-1", "WEB-2", "WEB-3", "WEB-4", "WEB-5", "WEB-1"])
            let again = try await api.send(.post, "/tasks/WEB-2/dependencies", json: #"{"blocked_by": "WEB-1"}"#, token: alice)
            #expect(again.status == .conflict && again.errorCode == "dependency_exists")
            let stored = try await api.pool.query("SELECT count(*)::int AS n FROM task_dependencies").rows[0].decode("n", as: Int.self)
            #expect(stored == 4, "refusals stored nothing")
            let both = try await api.send(.post, "/tasks/WEB-1/dependencies", json: #"{"blocked_by": "WEB-3", "blocks": "WEB-4"}"#, token: alice)
            #expect(both.status == .badRequest)
            let links = try await api.send(.get, "/tasks/WEB-3/links", token: alice)
            #expect((links.json["blocked_by"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["WEB-2"])
            #expect((links.json["blocks"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["WEB-4"])
            #expect(try await api.send(.delete, "/tasks/WEB-3/dependencies/WEB-2", token: alice).status == .noContent)
            #expect(try await api.send(.delete, "/tasks/WEB-3/dependencies/WEB-2", token: alice).status == .notFound)
        }
    }

    @Test func aBlockedTaskCannotCompleteUntilItsBlockerDoes() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB")
            let alice = try await api.token()
            try await api.task(#"{"project": "WEB", "title": "Design"}"#)
            try await api.task(#"{"project": "WEB", "title": "Build"}"#)
            try await api.task(#"{"project": "WEB", "title": "Buy servers"}"#)
            _ = try await api.send(.post, "/tasks/WEB-2/dependencies", json: #"{"blocked_by": "WEB-1"}"#, token: alice)
            _ = try await api.send(.post, "/tasks/WEB-2/dependencies", json: #"{"blocked_by": "WEB-3"}"#, token: alice)
            #expect(try await api.move("WEB-2", to: "Doing").status == .ok, "only completing is blocked")
            let blocked = try await api.move("WEB-2", to: "Done")
            #expect(blocked.status == .conflict && blocked.errorCode == "blocked", "\(blocked.body)")
            #expect((blocked.json["details"] as? [String: Any])?["blockers"] as? [String] == ["WEB-1", "WEB-3"])
            #expect(blocked.body.contains("WEB-1, WEB-3"))
            #expect(try await api.move("WEB-1", to: "Done").status == .ok)
            #expect(try await api.move("WEB-3", to: "Won't do").status == .ok, "a cancelled blocker no longer blocks")
            let done = try await api.move("WEB-2", to: "Done")
            #expect(done.status == .ok && done.json["completed_at"] is String, "\(done.body)")
            let reopened = try await api.move("WEB-2", to: "Doing")
            #expect(reopened.json["completed_at"] == nil)
            let types = try await EventCatalogue.recorded(in: api.pool).map(\.type)
            #expect(types.filter { $0 == "task.completed" }.count == 2 && types.filter { $0 == "task.reopened" }.count == 1)
        }
    }

    @Test func subTaskTreesRefuseCyclesAndRelationsAreSeparate() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB")
            try await api.project("OPS")
            let alice = try await api.token()
            try await api.task(#"{"project": "WEB", "title": "Epic"}"#)
            try await api.task(#"{"project": "WEB", "title": "Story", "parent": "WEB-1"}"#)
            try await api.task(#"{"project": "WEB", "title": "Sub-task", "parent": "WEB-2"}"#)
            try await api.task(#"{"project": "OPS", "title": "Elsewhere"}"#)
            let loop = try await api.send(.patch, "/tasks/WEB-1", json: #"{"parent": "WEB-3"}"#, token: alice)
            #expect(loop.status == .conflict && loop.errorCode == "parent_cycle", "\(loop.body)")
            #expect(try await api.send(.patch, "/tasks/WEB-1", json: #"{"parent": "WEB-1"}"#, token: alice).errorCode == "parent_cycle")
            let crossProject = try await api.send(.patch, "/tasks/WEB-3", json: #"{"parent": "OPS-1"}"#, token: alice)
            #expect(crossProject.status == .badRequest && crossProject.invalidFields == ["parent"])
            #expect(try await api.send(.patch, "/tasks/WEB-3", json: #"{"parent": null}"#, token: alice).json["parent_id"] == nil)

            let related = try await api.send(.post, "/tasks/WEB-1/relations", json: #"{"kind": "relates_to", "task": "WEB-3"}"#, token: alice)
            #expect(related.status == .created)
            let twice = try await api.send(.post, "/tasks/WEB-3/relations", json: #"{"kind": "relates_to", "task": "WEB-1"}"#, token: alice)
            #expect(twice.status == .ok, "relates_to is symmetric: the same relation")
            #expect(try await api.send(.post, "/tasks/WEB-2/relations", json: #"{"kind": "duplicate_of", "task": "WEB-1"}"#, token: alice).status == .created)
            let links = try await api.send(.get, "/tasks/WEB-1/links", token: alice)
            #expect((links.json["relates_to"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["WEB-3"])
            #expect((links.json["duplicated_by"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["WEB-2"])
            #expect((links.json["blocked_by"] as? [Any])?.isEmpty == true, "relations are not dependencies")
            #expect(try await api.move("WEB-3", to: "Done").status == .ok, "a relation never blocks")
            let otherProject = try await api.send(.post, "/tasks/WEB-1/relations", json: #"{"kind": "relates_to", "task": "OPS-1"}"#, token: alice)
            #expect(otherProject.status == .badRequest)
            #expect(try await api.send(.delete, "/tasks/WEB-1/relations/relates_to/WEB-3", token: alice).status == .noContent)
            #expect(try await api.send(.delete, "/tasks/WEB-1/relations/blocks/WEB-3", token: alice).status == .notFound)
        }
    }
}
