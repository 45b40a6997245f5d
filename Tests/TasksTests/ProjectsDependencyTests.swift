import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Tasks

/// What tasks does when projects, which decides who may do what, is down or changes its mind.
@Suite("tasks: the projects service as a dependency")
struct ProjectsDependencyTests {
    @Test func cachedAccessServesWhileProjectsIsDownAndUncachedIs503() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB", members: ["bob": "member"])
            // The membership events drop cached access when they arrive: let them arrive first.
            try await api.caughtUpWithProjects()
            try await api.task(#"{"project": "WEB", "title": "Keep working"}"#)
            let alice = try await api.token()
            let bob = try await api.token("bob")
            api.projects.stop()
            // alice's access was cached by her create; bob has never asked.
            let cached = try await api.send(.get, "/tasks/WEB-1", token: alice)
            #expect(cached.status == .ok, "\(cached.body)")
            #expect(try await api.send(.patch, "/tasks/WEB-1", json: #"{"priority": "low"}"#, token: alice).status == .ok)
            let uncached = try await api.send(.get, "/tasks/WEB-1", token: bob)
            #expect(uncached.status == .serviceUnavailable && uncached.errorCode == "upstream_unavailable", "\(uncached.body)")
            #expect(uncached.headers[.retryAfter] != nil)
            let list = try await api.send(.get, "/tasks?project=WEB", token: bob)
            #expect(list.status == .serviceUnavailable, "never a guess")
            let personal = try await api.send(.post, "/tasks", json: #"{"title": "Mine"}"#, token: bob)
            #expect(personal.status == .created, "personal tasks do not need projects")
        }
    }

    @Test func membershipEventsDropCachedAccessAndRemovedMembersAreUnassigned() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB", members: ["bob": "member"])
            let bob = try await api.token("bob")
            try await api.task(#"{"project": "WEB", "title": "Shared", "assignees": ["bob", "alice"]}"#)
            #expect(try await api.send(.get, "/tasks/WEB-1", token: bob).status == .ok, "cached now")
            try await api.projects("PATCH", "/projects/WEB/members/bob", json: #"{"role": "viewer"}"#)
            try await waitUntil("bob's demotion reaches tasks") {
                try await api.send(.patch, "/tasks/WEB-1", json: #"{"priority": "low"}"#, token: bob).status == .forbidden
            }
            try await api.projects("DELETE", "/projects/WEB/members/bob")
            try await waitUntil("bob's removal reaches tasks") {
                try await api.send(.get, "/tasks/WEB-1", token: bob).status == .notFound
            }
            try await waitUntil("bob is unassigned") {
                try await api.send(.get, "/tasks/WEB-1", token: try await api.token()).json["assignees"] as? [String] == ["alice"]
            }
            let activity = try await api.send(.get, "/tasks/WEB-1/activity", token: try await api.token()).json["data"] as? [[String: Any]] ?? []
            #expect(activity.last?["field"] as? String == "assignees" && activity.last?["old_value"] as? String == "bob")
        }
    }

    @Test func aProjectFromATemplateGetsItsStartingTasks() async throws {
        try await TasksHarness.run { api in
            try await api.project("NEW", template: "software")
            let alice = try await api.token()
            try await waitUntil("the starting tasks exist") {
                (try await api.send(.get, "/tasks?project=NEW", token: alice).json["data"] as? [Any])?.count == 3
            }
            let tasks = try await api.send(.get, "/tasks?project=NEW&sort=key", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(tasks.compactMap { $0["key"] as? String } == ["NEW-1", "NEW-2", "NEW-3"])
            #expect(tasks.compactMap { $0["title"] as? String }.contains("Invite the team"))
            #expect(tasks.allSatisfy { $0["owner_id"] as? String == "alice" })
            // And the project's stats count them, from the task events.
            try await waitUntil("projects counts them") {
                (try await api.projects("GET", "/projects/NEW/stats"))["total"] as? Int == 3
            }
        }
    }
}
