import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import Notifications

/// The document and the router agree, and the demo inbox loads once.
@Suite("notifications: service")
struct NotificationsServiceTests {
    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url()])
        let application = try buildApplication(NotificationsConfiguration(environment: &environment), httpClient: NotificationsHarness.httpClient)
        #expect(application.routes.count >= 15)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Notifications")
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func theDemoInboxLoadsOnce() async throws {
        try await NotificationsHarness.run { api in
            #expect(try await DemoNotifications.seed(pool: api.pool, logger: .init(label: "test")).hasPrefix("3 of 3"))
            #expect(try await DemoNotifications.seed(pool: api.pool, logger: .init(label: "test")).hasPrefix("0 of 3"))
            let inbox = try await api.send(.get, "/notifications", token: try await api.token(DemoNotifications.user))
            #expect((inbox.json["data"] as? [Any])?.count == 3)
        }
    }
}
