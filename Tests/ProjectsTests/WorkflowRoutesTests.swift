import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Projects

@Suite("projects: workflow, labels and milestones")
struct WorkflowRoutesTests {
    @Test func statesKeepExactlyOneDefaultAndUniqueNames() async throws {
        try await ProjectsHarness.run { api in
            let alice = try await api.project("WEB")
            let created = try await api.send(.post, "/projects/WEB/states", json: ##"{"name": "Blocked", "group": "started", "color": "#ff0000", "is_default": true}"##, token: alice)
            #expect(created.status == .created, "\(created.body)")
            let id = try #require(created.json["id"] as? String)
            var states = try await api.send(.get, "/projects/WEB/states", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(states.filter { $0["is_default"] as? Bool == true }.compactMap { $0["name"] as? String } == ["Blocked"])
            #expect(states.last?["name"] as? String == "Blocked", "appended at the end")

            let duplicate = try await api.send(.post, "/projects/WEB/states", json: #"{"name": "todo", "group": "unstarted"}"#, token: alice)
            #expect(duplicate.status == .conflict && duplicate.errorCode == "name_taken", "names ignore case")
            let invalid = try await api.send(.post, "/projects/WEB/states", json: #"{"name": "", "group": "doing", "color": "red", "is_default": false}"#, token: alice)
            #expect(invalid.invalidFields == ["name", "group", "color", "is_default"], "\(invalid.body)")
            let deleteDefault = try await api.send(.delete, "/projects/WEB/states/\(id)", token: alice)
            #expect(deleteDefault.status == .conflict && deleteDefault.errorCode == "default_state")

            let todo = try #require(states.first { $0["name"] as? String == "Todo" }?["id"] as? String)
            #expect(try await api.send(.patch, "/projects/WEB/states/\(todo)", json: #"{"is_default": true, "name": "To do"}"#, token: alice).status == .ok)
            states = try await api.send(.get, "/projects/WEB/states", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(states.filter { $0["is_default"] as? Bool == true }.compactMap { $0["name"] as? String } == ["To do"])
            #expect(try await api.send(.delete, "/projects/WEB/states/\(id)", token: alice).status == .noContent)

            // A state tasks are in (as their events said) cannot go.
            let review = try #require(states.first { $0["name"] as? String == "In Review" }?["id"] as? String)
            let project = try #require(try await api.send(.get, "/projects/WEB", token: alice).json["id"] as? String)
            try await api.pool.query(
                "INSERT INTO task_projection (task_id, project_id, state_id, state_group, as_of) VALUES (gen_random_uuid(), $1, $2, 'started', now())",
                [project, review])
            let inUse = try await api.send(.delete, "/projects/WEB/states/\(review)", token: alice)
            #expect(inUse.status == .conflict && inUse.errorCode == "state_in_use")
            for path in ["/projects/WEB/states/not-a-uuid", "/projects/WEB/states/00000000-0000-4000-8000-000000000000"] {
                #expect(try await api.send(.delete, path, token: alice).status == .notFound, "\(path)")
                #expect(try await api.send(.patch, path, json: #"{"name": "x"}"#, token: alice).status == .notFound, "\(path)")
            }
            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.filter { $0.type == "project.workflow_changed" }.count == 3, "create, update and delete; refusals record nothing")
        }
    }

    @Test func labelsAndMilestones() async throws {
        try await ProjectsHarness.run { api in
            let alice = try await api.project("WEB")
            let label = try await api.send(.post, "/projects/WEB/labels", json: ##"{"name": "Urgent", "color": "#aa0000"}"##, token: alice)
            #expect(label.status == .created)
            let id = try #require(label.json["id"] as? String)
            let clash = try await api.send(.post, "/projects/WEB/labels", json: ##"{"name": "URGENT", "color": "#aa0000"}"##, token: alice)
            #expect(clash.status == .conflict && clash.errorCode == "name_taken")
            let badColour = try await api.send(.post, "/projects/WEB/labels", json: ##"{"name": "x", "color": "#AABBCC"}"##, token: alice)
            #expect(badColour.invalidFields == ["color"])
            #expect(try await api.send(.patch, "/projects/WEB/labels/\(id)", json: ##"{"color": "#00aa00"}"##, token: alice).json["color"] as? String == "#00aa00")
            #expect(try await api.send(.delete, "/projects/WEB/labels/\(id)", token: alice).status == .noContent)
            #expect(try await api.send(.delete, "/projects/WEB/labels/\(id)", token: alice).status == .notFound)

            let milestone = try await api.send(.post, "/projects/WEB/milestones", json: #"{"name": "Beta", "due_on": "2027-02-01"}"#, token: alice)
            #expect(milestone.status == .created && milestone.json["state"] as? String == "open")
            let mid = try #require(milestone.json["id"] as? String)
            let badDate = try await api.send(.post, "/projects/WEB/milestones", json: #"{"name": "x", "due_on": "2027-02-30", "state": "done"}"#, token: alice)
            #expect(badDate.invalidFields == ["due_on", "state"])
            let closed = try await api.send(.patch, "/projects/WEB/milestones/\(mid)", json: #"{"state": "closed", "due_on": null}"#, token: alice)
            #expect(closed.json["state"] as? String == "closed" && closed.json["due_on"] == nil)
            #expect((try await api.send(.get, "/projects/WEB/milestones", token: alice).json["data"] as? [Any])?.count == 1)
            #expect(try await api.send(.delete, "/projects/WEB/milestones/\(mid)", token: alice).status == .noContent)
        }
    }
}
