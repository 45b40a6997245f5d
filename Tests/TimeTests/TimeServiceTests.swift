import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import Time

@Suite("time: demo data, ops, dependencies and OpenAPI")
struct TimeServiceTests {
    @Test func theDemoWeeksLoadOnceWithATimesheetInEachState() async throws {
        try await TimeHarness.run { api in
            let first = try await DemoTime.seed(api.pool, Logger(label: "seed"))
            let again = try await DemoTime.seed(api.pool, Logger(label: "seed"))
            #expect(first.hasPrefix("seeded 20 demo time entries"), "\(first)")
            #expect(again == "demo time already present")
            let states = try await api.pool.query("SELECT status FROM timesheets ORDER BY week").rows.map { try $0.decode("status", as: String.self) }
            #expect(states == ["approved", "rejected", "submitted"])
            let costs = try await api.pool.query("SELECT DISTINCT cost::text AS c FROM time_entries WHERE cost IS NOT NULL").rows.map { try $0.decode("c", as: String.self) }
            #expect(costs == ["280.00"], "3h30 at 80.00")
        }
    }

    @Test func tasksDownRefusesOnlyEntriesThatNameATask() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB")
            api.tasks.stop()
            let named = try await api.log(#"{"project": "WEB", "task": "WEB-1", "started_at": "2026-11-30T09:00:00Z", "duration": "1h"}"#)
            #expect(named.status == .serviceUnavailable && named.errorCode == "upstream_unavailable" && named.headers[.retryAfter] != nil, "\(named.body)")
            #expect(try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:00:00Z", "duration": "1h"}"#).status == .created)
        }
    }

    @Test func projectsDownServesCachedAccessAndRefusesTheRest() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB")
            try await api.project("OPS")
            #expect(try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:00:00Z", "duration": "1h"}"#).status == .created)
            api.projects.stop()
            #expect(try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T11:00:00Z", "duration": "1h"}"#).status == .created, "cached")
            let uncached = try await api.log(#"{"project": "OPS", "started_at": "2026-11-30T13:00:00Z", "duration": "1h"}"#)
            #expect(uncached.status == .serviceUnavailable && uncached.errorCode == "upstream_unavailable")
        }
    }

    @Test func answersTheOpsContract() async throws {
        try await TimeHarness.run { api in
            #expect(try await api.api.send(.get, "/ready").status == .ok)
            try await api.project("WEB")
            _ = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:00:00Z", "duration": "1h"}"#)
            let metrics = try await api.api.send(.get, "/metrics")
            #expect(metrics.body.contains("time_entries_logged_total 1"))
            let lint = try await Promtool.checkMetrics(metrics.body)
            #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
            #expect(try await api.api.send(.get, "/events.json").body.contains("timesheet.approved"))
            #expect(try await api.api.send(.get, "/time-entries").status == .unauthorized)
        }
    }

    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url()])
        let application = buildApplication(TimeConfiguration(environment: &environment), httpClient: TimeHarness.httpClient)
        #expect(application.routes.count >= 22)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Time")
        #expect(problems.isEmpty, "\(problems)")
    }
}
