import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import Tasks

@Suite("tasks: demo data, ops and OpenAPI")
struct TasksServiceTests {
    @Test func theDemoTasksLoadOnce() async throws {
        try await TasksHarness.run { api in
            let first = try await DemoTasks.seed(api.pool, Logger(label: "seed"))
            let again = try await DemoTasks.seed(api.pool, Logger(label: "seed"))
            #expect(first.hasPrefix("seeded 64 demo tasks"), "\(first)")
            #expect(again.hasPrefix("demo tasks already present"))
            let row = try await api.pool.query(
                """
                SELECT count(DISTINCT state_group)::int AS groups, count(*) FILTER (WHERE parent_id IS NOT NULL)::int AS subtasks,
                       count(*) FILTER (WHERE repeat IS NOT NULL)::int AS recurring, (SELECT count(*)::int FROM task_dependencies) AS dependencies,
                       count(*) FILTER (WHERE project_id IS NULL)::int AS personal
                FROM tasks
                """).rows[0]
            #expect(try row.decode("groups", as: Int.self) == 5)
            #expect(try row.decode("subtasks", as: Int.self) >= 4 && row.decode("recurring", as: Int.self) == 2)
            #expect(try row.decode("dependencies", as: Int.self) == 6 && row.decode("personal", as: Int.self) == 4)
        }
    }

    @Test func answersTheOpsContract() async throws {
        try await TasksHarness.run { api in
            #expect(try await api.send(.get, "/ready", token: nil).status == .ok)
            try await api.project("WEB")
            try await api.task(#"{"project": "WEB", "title": "Count me"}"#)
            let metrics = try await api.send(.get, "/metrics", token: nil)
            #expect(metrics.body.contains("tasks_created_total 1"))
            let lint = try await Promtool.checkMetrics(metrics.body)
            #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
        }
    }

    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url()])
        let application = buildApplication(TasksConfiguration(environment: &environment), httpClient: TasksHarness.httpClient)
        #expect(application.routes.count >= 11)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Tasks")
        #expect(problems.isEmpty, "\(problems)")
    }
}
