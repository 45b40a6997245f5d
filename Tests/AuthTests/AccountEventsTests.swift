@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

/// What auth tells the fleet: `user.registered`, `user.locked`, `user.deleted`, each in the
/// outbox with the change that caused it and matching `events.yaml`; and account deletion's
/// failure modes.
@Suite("auth: events and account deletion")
struct AccountEventsTests {
    @Test func registrationLockoutAndDeletionAreRecordedAsCatalogued() async throws {
        let harness = try AuthHarness.make(environment: ["LOGIN_LOCKOUT_THRESHOLD": "3", "LOGIN_LOCKOUT_SECONDS": "60"])
        let pool = try TestDatabase.makePool { $0.schema = harness.configuration.database.schema }
        defer { Task { await pool.close() } }
        try await harness.run { api in
            let session = try await api.registeredSession()
            let locked = AuthAPI.uniqueEmail()
            try await api.register(locked)
            for _ in 1...3 { _ = try await api.login(locked, password: "wrong password 1") }
            // An unknown account locks the same way, but nobody is told.
            for _ in 1...3 { _ = try await api.login(AuthAPI.uniqueEmail(), password: "wrong password 1") }

            let wrong = try await api.send(.delete, "/v1/me", json: ["password": "not my password"], token: session.access)
            #expect(wrong.status == .badRequest && wrong.body.contains("password"))
            #expect(try await api.send(.delete, "/v1/me", json: [:], token: session.access).status == .badRequest)
            #expect(try await api.send(.delete, "/v1/me", json: ["password": AuthAPI.password]).status == .unauthorized)
            #expect(try await api.send(.delete, "/v1/me", json: ["password": AuthAPI.password], token: session.access).status == .noContent)
            #expect(try await api.send(.get, "/v1/me", token: session.access).status == .unauthorized, "the deleted account's tokens are refused")
            #expect(try await api.login(session.email).status == .unauthorized)
        }
        let events = try await EventCatalogue.recorded(in: pool)
        #expect(events.map(\.type) == ["user.registered", "user.registered", "user.locked", "user.deleted"])
        #expect(events[2].data["email"] != nil && events[2].data["locked_seconds"] == .int(60))
        let path = EventCatalogue.path(ofService: "Auth")
        let problems = try await EventCatalogue.problems(catalogue: path, events: events)
        #expect(problems.isEmpty, "\(problems)")
    }
}
