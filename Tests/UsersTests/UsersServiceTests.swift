import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import Users

@Suite("users: demo data, ops and OpenAPI")
struct UsersServiceTests {
    @Test func theDemoWorkspaceLoadsOnce() async throws {
        try await UsersHarness.run { api in
            let first = try await DemoUsers.seed(api.pool, Logger(label: "seed"))
            let again = try await DemoUsers.seed(api.pool, Logger(label: "seed"))
            #expect(first.hasPrefix("seeded 4 demo profiles"), "\(first)")
            #expect(again == "demo profiles and organization already present")
            let demo = try await api.token(DemoWorkspace.user)
            #expect(try await api.send(.get, "/users/me", token: demo).json["handle"] as? String == "demo")
            let organization = try await api.send(.get, "/organizations/acme", token: demo)
            #expect(organization.json["role"] as? String == "owner")
            let teams = try await api.send(.get, "/organizations/acme/teams", token: demo).json["data"] as? [[String: Any]] ?? []
            #expect(teams.compactMap { $0["slug"] as? String } == ["ops", "web"])
            #expect(teams.compactMap { $0["member_count"] as? Int } == [2, 3])
        }
    }

    @Test func answersTheOpsContract() async throws {
        try await UsersHarness.run { api in
            #expect(try await api.send(.get, "/ready", token: nil).status == .ok)
            try await api.organization("acme")
            let metrics = try await api.send(.get, "/metrics", token: nil)
            #expect(metrics.body.contains("users_organizations_created_total 1"))
            let lint = try await Promtool.checkMetrics(metrics.body)
            #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
            #expect(try await api.send(.get, "/events.json", token: nil).body.contains("user.deactivated"))
        }
    }

    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url()])
        let application = buildApplication(UsersConfiguration(environment: &environment), httpClient: UsersHarness.httpClient)
        #expect(application.routes.count >= 28)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Users")
        #expect(problems.isEmpty, "\(problems)")
    }
}
