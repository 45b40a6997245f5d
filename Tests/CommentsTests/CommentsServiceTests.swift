import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import Comments

@Suite("comments: demo data, ops and OpenAPI")
struct CommentsServiceTests {
    @Test func theDemoConversationsLoadOnce() async throws {
        try await CommentsHarness.run { api in
            let first = try await DemoComments.seed(api.pool, Logger(label: "seed"))
            let again = try await DemoComments.seed(api.pool, Logger(label: "seed"))
            #expect(first.hasPrefix("seeded 6 demo comments"), "\(first)")
            #expect(again == "demo comments already present")
            let counts = try await api.pool.query(
                "SELECT (SELECT reply_count FROM comments WHERE id = $1) AS replies, (SELECT count(*)::int FROM comment_revisions) AS revisions, (SELECT mentions FROM comments WHERE id = $1) AS mentions",
                [DemoComments.id(0)]
            ).rows[0]
            #expect(try counts.decode("replies", as: Int.self) == 2 && counts.decode("revisions", as: Int.self) == 1)
            #expect(try counts.decode("mentions", as: [String].self) == ["demo-user"])
        }
    }

    @Test func answersTheOpsContract() async throws {
        try await CommentsHarness.run { api in
            #expect(try await api.api.send(.get, "/ready").status == .ok)
            let task = try await api.project("WEB")
            let id = try #require(try await api.post("Metrics, please", on: "task:\(task)")["id"] as? String)
            _ = try await api.send(.put, "/comments/\(id)/reactions/rocket")
            let metrics = try await api.api.send(.get, "/metrics")
            #expect(metrics.body.contains("comments_posted_total 1") && metrics.body.contains("comments_reactions_added_total 1"))
            let lint = try await Promtool.checkMetrics(metrics.body)
            #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
            #expect(try await api.api.send(.get, "/events.json").body.contains("comment.mentioned"))
            #expect(try await api.api.send(.get, "/comments?entity=task:\(task)").status == .unauthorized)
        }
    }

    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url()])
        let application = buildApplication(CommentsConfiguration(environment: &environment), httpClient: CommentsHarness.httpClient)
        #expect(application.routes.count >= 10)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Comments")
        #expect(problems.isEmpty, "\(problems)")
    }
}
