import FlotillaKit
import FlotillaKitTesting
import HTTPTypes
import Testing

@testable import Projects

@Suite("projects: project routes")
struct ProjectRoutesTests {
    @Test func createFromTheDefaultTemplateReadUpdateArchive() async throws {
        try await ProjectsHarness.run { api in
            let alice = try await api.token()
            let created = try await api.send(.post, "/projects", json: #"{"key": "WEB", "name": " Website ", "settings": {"theme": "dark"}}"#, token: alice)
            #expect(created.status == .created, "\(created.body)")
            #expect(created.headers[.location] == "/projects/WEB")
            #expect(created.json["name"] as? String == "Website" && created.json["role"] as? String == "owner")
            #expect(created.json["owner_id"] as? String == "alice")

            let states = try await api.send(.get, "/projects/WEB/states", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(states.map { $0["name"] as? String } == ["Backlog", "Todo", "In Progress", "In Review", "Done", "Cancelled"])
            #expect(states.filter { $0["is_default"] as? Bool == true }.map { $0["name"] as? String } == ["Todo"], "exactly one default")
            #expect(states.map { $0["state_group"] as? String } == ["backlog", "unstarted", "started", "started", "completed", "cancelled"])
            let labels = try await api.send(.get, "/projects/WEB/labels", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(labels.compactMap { $0["name"] as? String } == ["bug", "chore", "feature"])

            let patched = try await api.send(.patch, "/projects/WEB", json: #"{"description": "The site", "settings": {"week_start": "mon"}}"#, token: alice)
            #expect(patched.status == .ok, "\(patched.body)")
            #expect(patched.json["settings"] as? [String: String] == ["theme": "dark", "week_start": "mon"], "settings merge")
            let rekey = try await api.send(.patch, "/projects/WEB", json: #"{"key": "SITE"}"#, token: alice)
            #expect(rekey.status == .badRequest && rekey.invalidFields == ["key"], "the key is immutable")

            let list = try await api.send(.get, "/projects", token: alice)
            #expect((list.json["data"] as? [[String: Any]])?.map { $0["key"] as? String } == ["WEB"])
            #expect(try await api.send(.post, "/projects/WEB/archive", token: alice).json["archived_at"] != nil)
            let frozen = try await api.send(.patch, "/projects/WEB", json: #"{"name": "x"}"#, token: alice)
            #expect(frozen.status == .conflict && frozen.errorCode == "project_archived")
            #expect((try await api.send(.get, "/projects", token: alice).json["data"] as? [Any])?.isEmpty == true, "archived ones are listed on request")
            #expect((try await api.send(.get, "/projects?archived=true", token: alice).json["data"] as? [Any])?.count == 1)
            #expect(try await api.send(.post, "/projects/WEB/unarchive", token: alice).status == .ok)

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.map(\.type) == ["project.created", "project.archived", "project.unarchived"])
            let starting = events[0].data["starting_tasks"]
            #expect(starting.map { if case .array(let items) = $0 { items.count } else { 0 } } == 3, "the template's starting tasks travel with the event")
        }
    }

    @Test func theKeyIsValidatedAndUnique() async throws {
        try await ProjectsHarness.run { api in
            let alice = try await api.token()
            for key in ["W", "web", "WEB1", "ABCDEFGHIJK", "WÉB"] {
                let reply = try await api.send(.post, "/projects", json: #"{"key": "\#(key)", "name": "x"}"#, token: alice)
                #expect(reply.status == .badRequest && reply.invalidFields == ["key"], "\(key): \(reply.body)")
            }
            let missing = try await api.send(.post, "/projects", json: #"{"titel": "x"}"#, token: alice)
            #expect(missing.invalidFields == ["key", "name", "titel"], "unknown fields are named too")
            let template = try await api.send(.post, "/projects", json: #"{"key": "AB", "name": "x", "template": "scrum"}"#, token: alice)
            #expect(template.invalidFields == ["template"])
            try await api.project("WEB")
            let taken = try await api.send(.post, "/projects", json: #"{"key": "WEB", "name": "again"}"#, token: try await api.token("bob"))
            #expect(taken.status == .conflict && taken.errorCode == "key_taken")
            let kanban = try await api.send(.post, "/projects", json: #"{"key": "KB", "name": "Board", "template": "kanban"}"#, token: alice)
            #expect(kanban.status == .created)
            let states = try await api.send(.get, "/projects/KB/states", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(states.count == 4)
            let templates = try await api.send(.get, "/project-templates", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(templates.compactMap { $0["id"] as? String } == ["software", "kanban"])
        }
    }

    @Test func outsidersSeeNothingAndRolesGateWrites() async throws {
        try await ProjectsHarness.run { api in
            try await api.project("WEB")
            try await api.add("vic", role: "viewer")
            let mallory = try await api.token("mallory")
            for path in ["/projects/WEB", "/projects/WEB/members", "/projects/WEB/states", "/projects/WEB/stats", "/projects/WEB/access", "/projects/NOPE"] {
                let reply = try await api.send(.get, path, token: mallory)
                #expect(reply.status == .notFound, "\(path)")
            }
            #expect(try await api.send(.patch, "/projects/WEB", json: #"{"name": "x"}"#, token: mallory).status == .notFound)
            let vic = try await api.token("vic")
            #expect(try await api.send(.get, "/projects/WEB", token: vic).json["role"] as? String == "viewer")
            let denied = try await api.send(.patch, "/projects/WEB", json: #"{"name": "x"}"#, token: vic)
            #expect(denied.status == .forbidden && denied.body.contains("needs admin"))
            #expect(try await api.send(.post, "/projects/WEB/labels", json: ##"{"name": "x", "color": "#aabbcc"}"##, token: vic).status == .forbidden)
            #expect(try await api.send(.post, "/projects/WEB/archive", token: vic).status == .forbidden)
            let admin = try await api.token("root", roles: [.admin])
            #expect(try await api.send(.get, "/projects/WEB", token: admin).status == .ok, "platform admins may read")
            #expect(try await api.send(.patch, "/projects/WEB", json: #"{"name": "x"}"#, token: admin).status == .notFound, "but not change")
            #expect(try await api.send(.get, "/projects", token: nil).status == .unauthorized)
        }
    }
}
