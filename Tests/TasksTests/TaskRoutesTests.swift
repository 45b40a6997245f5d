import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Tasks

@Suite("tasks: task routes")
struct TaskRoutesTests {
    @Test func createReadUpdateDeleteWithKeysEtagsAndActivity() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB", members: ["bob": "member"])
            let labels = try await api.projects("POST", "/projects/WEB/labels", json: ##"{"name": "bug", "color": "#ff0000"}"##)
            let label = try #require(labels["id"] as? String)
            let alice = try await api.token()
            let created = try await api.send(.post, "/tasks", json: """
                {"project": "WEB", "title": " Fix login ", "description": "Users **cannot** log in", "priority": "high",
                 "assignees": ["bob"], "label_ids": ["\(label)"], "start_on": "2026-12-01", "due_on": "2026-12-10",
                 "estimate_value": 3, "estimate_unit": "points"}
                """, token: alice)
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json["key"] as? String == "WEB-1" && created.headers[.location] == "/tasks/WEB-1")
            #expect(created.json["title"] as? String == "Fix login" && created.json["state_group"] as? String == "unstarted", "the default state")
            #expect(created.json["assignees"] as? [String] == ["bob"] && created.json["label_ids"] as? [String] == [label])
            #expect(created.headers[.eTag] == "\"1\"")
            let minimal = try await api.task(#"{"project": "WEB", "title": "Second"}"#)
            #expect(minimal["key"] as? String == "WEB-2" && minimal["priority"] as? String == "none", "priority is never null")

            let read = try await api.send(.get, "/tasks/WEB-1", token: alice)
            #expect(read.status == .ok && read.json["description"] as? String == "Users **cannot** log in", "Markdown stored as written")
            let byID = try await api.send(.get, "/tasks/\(try #require(created.json["id"] as? String))", token: alice)
            #expect(byID.json["key"] as? String == "WEB-1")

            var stale = HTTPFields()
            stale[.ifMatch] = "\"1\""
            let patched = try await api.send(.patch, "/tasks/WEB-1", json: #"{"priority": "urgent", "due_on": null}"#, token: alice, headers: stale)
            #expect(patched.status == .ok && patched.headers[.eTag] == "\"2\"", "\(patched.body)")
            #expect(patched.json["due_on"] == nil && patched.json["start_on"] as? String == "2026-12-01")
            let conflict = try await api.send(.patch, "/tasks/WEB-1", json: #"{"title": "Lost update"}"#, token: alice, headers: stale)
            #expect(conflict.status == .preconditionFailed && conflict.errorCode == "precondition_failed")
            #expect((conflict.json["details"] as? [String: Any])?["current_etag"] as? String == "\"2\"")
            #expect(try await api.send(.get, "/tasks/WEB-1", token: alice).json["title"] as? String == "Fix login", "the stale write changed nothing")
            let unchanged = try await api.send(.patch, "/tasks/WEB-1", json: #"{"priority": "urgent"}"#, token: alice)
            #expect(unchanged.headers[.eTag] == "\"2\"", "no difference, no new version")

            let activity = try await api.send(.get, "/tasks/WEB-1/activity", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(activity.compactMap { $0["verb"] as? String } == ["created", "updated", "updated"])
            #expect(activity[1]["field"] as? String == "priority" && activity[1]["old_value"] as? String == "high" && activity[1]["new_value"] as? String == "urgent")
            #expect(activity[2]["field"] as? String == "due_on" && activity[2]["new_value"] is NSNull)

            let bob = try await api.token("bob")
            let notAdmin = try await api.send(.delete, "/tasks/WEB-2", token: bob)
            #expect(notAdmin.status == .forbidden && notAdmin.body.contains("needs admin"))
            #expect(try await api.send(.delete, "/tasks/WEB-2", token: alice).status == .noContent)
            #expect(try await api.send(.get, "/tasks/WEB-2", token: alice).status == .notFound)
            let third = try await api.task(#"{"project": "WEB", "title": "Third"}"#)
            #expect(third["key"] as? String == "WEB-3", "a deleted task's number is never reused")
            #expect((try await api.send(.get, "/tasks/\(try #require(minimal["id"] as? String))/activity", token: alice)).status == .notFound,
                    "a deleted task is gone; its log stays in the database")
            let kept = try await api.pool.query("SELECT count(*)::int AS n FROM task_activity WHERE verb = 'deleted'").rows[0].decode("n", as: Int.self)
            #expect(kept == 1)

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.map(\.type) == ["task.created", "task.assigned", "task.created", "task.updated", "task.deleted", "task.created"])
            #expect(events[1].data["assignee_id"] == "bob")
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Tasks"), events: events, requireAll: false)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test func everyFieldIsValidated() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB")
            let alice = try await api.token()
            let bad = try await api.send(.post, "/tasks", json: """
                {"project": "web", "title": "", "priority": null, "state_id": "nope", "assignees": "bob", "label_ids": ["x"],
                 "start_on": "2026-13-01", "estimate_value": -1, "repeat": {"frequency": "hourly"}, "colour": "red"}
                """, token: alice)
            #expect(bad.status == .badRequest)
            #expect(bad.invalidFields == ["project", "title", "priority", "state_id", "assignees", "label_ids", "start_on", "estimate_value", "repeat", "colour"], "\(bad.body)")
            let backwards = try await api.send(.post, "/tasks", json: #"{"title": "x", "start_on": "2026-12-10", "due_on": "2026-12-01"}"#, token: alice)
            #expect(backwards.invalidFields == ["due_on"])
            let foreign = try await api.send(.post, "/tasks", json: #"{"project": "WEB", "title": "x", "assignees": ["stranger"], "state_id": "00000000-0000-4000-8000-000000000000"}"#, token: alice)
            #expect(foreign.invalidFields == ["assignees", "state_id"], "\(foreign.body)")
            let nowhere = try await api.send(.post, "/tasks", json: #"{"project": "NOPE", "title": "x"}"#, token: alice)
            #expect(nowhere.status == .notFound)
            _ = try await api.task(#"{"project": "WEB", "title": "One"}"#)
            let empty = try await api.send(.patch, "/tasks/WEB-1", json: "{}", token: alice)
            #expect(empty.status == .badRequest)
            for reference in ["WEB-99", "not a key", "00000000-0000-4000-8000-000000000000"] {
                let escaped = reference.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? reference
                #expect(try await api.send(.get, "/tasks/\(escaped)", token: alice).status == .notFound, "\(reference)")
            }
            let imported = #"{"project": "WEB", "title": "From Jira", "external_source": "jira", "external_id": "J-1"}"#
            _ = try await api.task(imported)
            let twice = try await api.send(.post, "/tasks", json: imported, token: alice)
            #expect(twice.status == .conflict && twice.errorCode == "already_imported")
        }
    }

    @Test func personalTasksBelongToTheirOwner() async throws {
        try await TasksHarness.run { api in
            let alice = try await api.token()
            let task = try await api.task(#"{"title": "Buy milk", "state_group": "started", "due_on": "2026-12-24"}"#)
            let id = try #require(task["id"] as? String)
            #expect(task["key"] == nil && task["project_id"] == nil && task["state_group"] as? String == "started")
            let bob = try await api.token("bob")
            #expect(try await api.send(.get, "/tasks/\(id)", token: bob).status == .notFound)
            #expect(try await api.send(.patch, "/tasks/\(id)", json: #"{"title": "x"}"#, token: bob).status == .notFound)
            #expect(try await api.send(.delete, "/tasks/\(id)", token: bob).status == .notFound)
            let assignOther = try await api.send(.patch, "/tasks/\(id)", json: #"{"assignees": ["bob"]}"#, token: alice)
            #expect(assignOther.invalidFields == ["assignees"])
            let done = try await api.send(.patch, "/tasks/\(id)", json: #"{"state_group": "completed"}"#, token: alice)
            #expect(done.json["completed_at"] is String, "\(done.body)")
            let mine = try await api.send(.get, "/tasks", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(mine.compactMap { $0["id"] as? String } == [id])
            #expect((try await api.send(.get, "/tasks", token: bob).json["data"] as? [Any])?.isEmpty == true)
            #expect(try await api.send(.delete, "/tasks/\(id)", token: alice).status == .noContent)
        }
    }

    @Test func viewersReadOutsidersSeeNothing() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB", members: ["vic": "viewer"])
            _ = try await api.task(#"{"project": "WEB", "title": "Secret plan"}"#)
            let vic = try await api.token("vic")
            #expect(try await api.send(.get, "/tasks/WEB-1", token: vic).status == .ok)
            #expect((try await api.send(.get, "/tasks?project=WEB", token: vic).json["data"] as? [Any])?.count == 1)
            let write = try await api.send(.patch, "/tasks/WEB-1", json: #"{"title": "mine now"}"#, token: vic)
            #expect(write.status == .forbidden && write.body.contains("needs member"))
            #expect(try await api.send(.post, "/tasks", json: #"{"project": "WEB", "title": "x"}"#, token: vic).status == .forbidden)
            let mallory = try await api.token("mallory")
            for (method, path) in [(HTTPRequest.Method.get, "/tasks/WEB-1"), (.patch, "/tasks/WEB-1"), (.delete, "/tasks/WEB-1"), (.get, "/tasks/WEB-1/activity"),
                                   (.get, "/tasks?project=WEB"), (.get, "/tasks/WEB-1/links")] {
                let reply = try await api.send(method, path, json: method == .patch ? #"{"title": "x"}"# : nil, token: mallory)
                #expect(reply.status == .notFound, "\(method) \(path): \(reply.status)")
            }
            #expect(try await api.send(.get, "/tasks", token: nil).status == .unauthorized)
        }
    }
}
