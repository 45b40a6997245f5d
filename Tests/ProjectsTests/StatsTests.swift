import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import Projects

/// The stats come from task events (applied by the consumer's handlers), are cached, and
/// each task event about the project drops the cache.
@Suite("projects: stats from task events")
struct StatsTests {
    func taskEvent(_ type: String, task: String, project: String, group: String, due: String? = nil, completed: String? = nil, at: String) -> EventEnvelope {
        EventEnvelope(
            id: UUID().uuidString.lowercased(), type: type, version: 1, occurredAt: at, source: "tasks",
            aggregate: .init(type: "task", id: task), actor: "alice",
            data: ["task_id": .string(task), "project_id": .string(project), "state_group": .string(group),
                   "due_on": due.map(JSONValue.string) ?? .null, "completed_at": completed.map(JSONValue.string) ?? .null])
    }

    @Test func groupsOverdueAndCompletedThisWeekFollowTheEvents() async throws {
        try await ProjectsHarness.run { api in
            let alice = try await api.project("WEB")
            let project = try #require(try await api.send(.get, "/projects/WEB", token: alice).json["id"] as? String)
            let redis = try TestRedis.makeClient()
            let cache = RedisCache(
                client: redis, name: "test", prefix: api.configuration.redisKeyPrefix + "stats:", ttl: .seconds(60),
                metrics: MetricsRegistry(service: "test", version: "0"), logger: .init(label: "test"))
            let handlers = ProjectEventHandlers(cache: cache).handlers
            func handle(_ event: EventEnvelope) async throws {
                try await api.pool.withTransaction { session in try await handlers.handler(for: event.type)!(event, session) }
            }
            let (a, b, c) = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
            let now = RFC3339.now()
            try await handle(taskEvent("task.created", task: a, project: project, group: "started", due: "2020-01-01", at: now))
            try await handle(taskEvent("task.created", task: b, project: project, group: "unstarted", at: now))

            let first = try await api.send(.get, "/projects/WEB/stats", token: alice)
            #expect(first.headers[HTTPField.Name("X-Cache")!] == "miss")
            #expect(first.json["total"] as? Int == 2 && first.json["overdue"] as? Int == 1)
            #expect(try await api.send(.get, "/projects/WEB/stats", token: alice).headers[HTTPField.Name("X-Cache")!] == "hit")

            try await handle(taskEvent("task.completed", task: a, project: project, group: "completed", due: "2020-01-01", completed: now, at: RFC3339.now()))
            try await handle(taskEvent("task.created", task: c, project: project, group: "backlog", at: RFC3339.now()))
            // An older event about `a`, delivered late, must not move it back.
            try await handle(taskEvent("task.updated", task: a, project: project, group: "started", at: "2020-01-01T00:00:00.000Z"))
            let after = try await api.send(.get, "/projects/WEB/stats", token: alice)
            #expect(after.headers[HTTPField.Name("X-Cache")!] == "miss", "the events dropped the cache")
            #expect(after.json["total"] as? Int == 3)
            #expect(after.json["overdue"] as? Int == 0, "a completed task is not overdue")
            #expect(after.json["completed_this_week"] as? Int == 1)
            let groups = after.json["by_state_group"] as? [String: Int]
            #expect(groups == ["backlog": 1, "unstarted": 1, "started": 0, "completed": 1, "cancelled": 0])
            try await handle(taskEvent("task.deleted", task: c, project: project, group: "backlog", at: RFC3339.now()))
            #expect(try await api.send(.get, "/projects/WEB/stats", token: alice).json["total"] as? Int == 2)
            await redis.close()
        }
    }
}
