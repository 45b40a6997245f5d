import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import Habits

@Suite("habits: demo data, ops and document")
struct HabitsServiceTests {
    @Test func theDemoHistoryLoadsOnce() async throws {
        try await HabitsHarness.run { api in
            let first = try await DemoHabits.seed(api.pool, Logger(label: "seed"))
            let again = try await DemoHabits.seed(api.pool, Logger(label: "seed"))
            #expect(first.hasPrefix("12 of 12 demo habits inserted for demo-user"), "\(first)")
            #expect(again.hasPrefix("0 of 12"), "seeding twice adds nothing")
            let row = try await api.pool.query("SELECT count(*) AS n, min(date) AS first FROM check_ins").rows[0]
            #expect(try row.decode("n", as: Int.self) > 500)
            let demo = try await api.token(DemoHabits.owner)
            let summary = try await api.send(.get, "/habits/summary", token: demo)
            #expect(summary.json["active_habits"] as? Int == 12)
            #expect(((summary.json["longest_streak_ever"] as? [String: Any])?["streak"] as? Int ?? 0) >= 5)
        }
    }

    @Test func answersTheOpsContract() async throws {
        try await HabitsHarness.run { api in
            #expect(try await api.send(.get, "/ready", token: nil).status == .ok)
            let alice = try await api.token()
            _ = try await api.createHabit(token: alice)
            let metrics = try await api.send(.get, "/metrics", token: nil)
            #expect(metrics.body.contains(#"habits_stored{state="active"}"#))
            let lint = try await Promtool.checkMetrics(metrics.body)
            #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
            let document = try await api.send(.get, "/openapi.json", token: nil)
            #expect(document.status == .ok && (document.json["paths"] as? [String: Any])?["/habits/{id}/stats"] != nil)
        }
    }

    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url()])
        let configuration = HabitsConfiguration(environment: &environment)
        #expect(configuration.maxActiveHabitsPerUser == 100, "the issue's limit by default")
        let application = buildApplication(configuration, httpClient: HabitsHarness.httpClient)
        #expect(application.routes.count >= 13)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Habits")
        #expect(problems.isEmpty, "\(problems)")
    }
}
