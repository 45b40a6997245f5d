import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Ops endpoints")
struct OpsEndpointTests {
    static let failing = StubHealthCheck(name: "postgres:responseTime") {
        HealthObservation(status: .fail, output: "connection refused")
    }

    @Test(arguments: [TestingSetup.router, .live])
    func liveAnswersOK(_ setup: TestingSetup) async throws {
        let app = KitTestApplication(checks: [Self.failing])
        try await app.application.test(setup) { client in
            // A failing dependency never affects liveness.
            try await client.execute(uri: "/live", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func readyIsOKWhenEveryCheckPasses(_ setup: TestingSetup) async throws {
        let app = KitTestApplication(checks: [StubHealthCheck(name: "db:responseTime") { .init(status: .pass) }])
        try await app.application.test(setup) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
            try await client.execute(uri: "/ready?verbose", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "[+]uptime ok\n[+]db:responseTime ok\n[+]shutdown ok\nreadiness check passed\n")
            }
        }
    }

    @Test func readyFailsWhenARequiredCheckFails() async throws {
        let app = KitTestApplication(checks: [Self.failing])
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("[-]postgres:responseTime failed: connection refused"))
            }
        }
    }

    @Test func readyFailsWhenACheckHangsPastItsTimeout() async throws {
        let hung = StubHealthCheck(name: "redis:responseTime", timeout: .milliseconds(200)) {
            try await Task.sleep(for: .seconds(600))
            return .init(status: .pass)
        }
        let app = KitTestApplication(checks: [hung])
        try await app.application.test(.router) { client in
            let started = ContinuousClock.now
            try await client.execute(uri: "/ready?verbose", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("[-]redis:responseTime failed: timed out"))
            }
            // A loaded run took 21 s here; a minute is still ten times less than the hang.
            #expect(ContinuousClock.now - started < .seconds(60), "far below the check's 600 s")
        }
    }

    @Test func readyTurns503OnceDrainingBegins() async throws {
        let app = KitTestApplication()
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
            app.runtime.lifecycle.beginDraining()
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("[-]shutdown failed: draining"))
            }
            try await client.execute(uri: "/live", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func optionalDependencyDownWarnsButStaysReady() async throws {
        let app = KitTestApplication(checks: [
            StubHealthCheck(name: "redis:responseTime", criticality: .optional) { throw CancellationError() }
        ])
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let document = try JSONDecoder().decode(HealthDocument.self, from: Data(buffer: response.body))
                #expect(document.status == .warn)
                #expect(document.checks["redis:responseTime"]?.first?.status == .fail)
            }
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func healthFollowsTheHealthCheckDraft(_ setup: TestingSetup) async throws {
        let app = KitTestApplication(
            configure: { $0.identity = ServiceIdentity(name: "catalog", version: "1.4.0", defaultPort: 0); $0.releaseID = "r-77" },
            checks: [StubHealthCheck(name: "postgres:responseTime") { .init(status: .pass, observedValue: .double(1.5), observedUnit: "ms") }]
        )
        try await app.application.test(setup) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/health+json")
                let body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
                #expect(body["status"] == "pass")
                #expect(body["version"] == "1.4.0")
                #expect(body["releaseId"] == "r-77")
                #expect(body["serviceId"] == "catalog")
                let check = try #require(body["checks"]?["postgres:responseTime"])
                guard case .array(let observations) = check, let first = observations.first else {
                    Issue.record("checks values must be arrays: \(check)")
                    return
                }
                #expect(first["componentType"] == "component")
                #expect(first["observedValue"] == .double(1.5))
                #expect(first["observedUnit"] == "ms")
                #expect(first["status"] == "pass")
                #expect(first["time"]?.stringValue?.hasSuffix("Z") == true)
                #expect(body["checks"]?["uptime"] != nil)
            }
        }
    }

    @Test func healthFailsWith503WhenARequiredCheckFails() async throws {
        let app = KitTestApplication(checks: [Self.failing])
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let document = try JSONDecoder().decode(HealthDocument.self, from: Data(buffer: response.body))
                #expect(document.status == .fail)
                #expect(document.checks["postgres:responseTime"]?.first?.output == "connection refused")
            }
        }
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self.init(buffer.readableBytesView)
    }
}
