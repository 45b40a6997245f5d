import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import Projects

@Suite("projects: demo data, ops, access document and OpenAPI")
struct ProjectsServiceTests {
    @Test func theDemoWorkspaceLoadsOnce() async throws {
        try await ProjectsHarness.run { api in
            let first = try await DemoProjects.seed(api.pool, Logger(label: "seed"))
            let again = try await DemoProjects.seed(api.pool, Logger(label: "seed"))
            #expect(first.hasPrefix("seeded 2 demo projects"), "\(first)")
            #expect(again == "demo projects already present")
            let demo = try await api.token(DemoWorkspace.user)
            let projects = try await api.send(.get, "/projects", token: demo).json["data"] as? [[String: Any]] ?? []
            #expect(projects.compactMap { $0["key"] as? String }.sorted() == ["OPS", "WEB"])
            let access = try await api.send(.get, "/projects/WEB/access", token: demo)
            let states = access.json["states"] as? [[String: Any]] ?? []
            #expect(states.first { $0["is_default"] as? Bool == true }?["id"] as? String == DemoWorkspace.projects[0].stateID(DemoWorkspace.defaultState))
        }
    }

    @Test func theAccessDocumentCarriesRoleWorkflowAndMembers() async throws {
        try await ProjectsHarness.run { api in
            try await api.project("WEB")
            try await api.add("vic", role: "viewer")
            let access = try await api.send(.get, "/projects/WEB/access", token: try await api.token("vic"))
            #expect(access.status == .ok)
            #expect(access.json["role"] as? String == "viewer")
            #expect((access.json["project"] as? [String: Any])?["key"] as? String == "WEB")
            #expect((access.json["states"] as? [Any])?.count == 6 && (access.json["labels"] as? [Any])?.count == 3)
            let members = (access.json["members"] as? [[String: Any]] ?? []).compactMap { $0["user_id"] as? String }
            #expect(members == ["alice", "vic"])
        }
    }

    @Test func answersTheOpsContract() async throws {
        try await ProjectsHarness.run { api in
            #expect(try await api.send(.get, "/ready", token: nil).status == .ok)
            try await api.project("WEB")
            let metrics = try await api.send(.get, "/metrics", token: nil)
            #expect(metrics.body.contains("projects_created_total 1"))
            let lint = try await Promtool.checkMetrics(metrics.body)
            #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
            #expect(try await api.send(.get, "/events.json", token: nil).body.contains("project.member_added"))
        }
    }

    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url()])
        let application = buildApplication(ProjectsConfiguration(environment: &environment), httpClient: ProjectsHarness.httpClient)
        #expect(application.routes.count >= 25)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Projects")
        #expect(problems.isEmpty, "\(problems)")
    }
}
