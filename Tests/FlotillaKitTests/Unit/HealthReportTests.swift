import Synchronization
import Testing

@testable import FlotillaKit

@Suite("Health aggregation")
struct HealthReportTests {
    func entry(_ name: String, _ status: HealthStatus, _ criticality: HealthCheckCriticality = .required, output: String? = nil) -> HealthReport.Entry {
        .init(name: name, componentType: "datastore", criticality: criticality, observation: .init(status: status, output: output), time: "t")
    }

    @Test func allPassingIsPassAndReady() {
        let report = HealthReport(entries: [entry("a:x", .pass), entry("b:x", .pass)], draining: false)
        #expect(report.status == .pass)
        #expect(report.isReady)
        #expect(report.readinessText(verbose: false) == "ok\n")
    }

    @Test func aRequiredFailureFailsBoth() {
        let report = HealthReport(entries: [entry("a:x", .pass), entry("postgres:responseTime", .fail, output: "refused")], draining: false)
        #expect(report.status == .fail)
        #expect(!report.isReady)
        #expect(report.readinessText(verbose: false).contains("[-]postgres:responseTime failed: refused\n"))
        #expect(report.readinessText(verbose: false).hasSuffix("readiness check failed\n"))
    }

    @Test func anOptionalFailureOnlyWarns() {
        let report = HealthReport(entries: [entry("redis:responseTime", .fail, .optional, output: "down")], draining: false)
        #expect(report.status == .warn)
        #expect(report.isReady)
        #expect(report.readinessText(verbose: true).contains("[+]redis:responseTime ok (optional): down"))
    }

    @Test func aWarningStillServes() {
        let report = HealthReport(entries: [entry("a:x", .warn)], draining: false)
        #expect(report.status == .warn)
        #expect(report.isReady)
    }

    @Test func drainingIsNeverReady() {
        let report = HealthReport(entries: [entry("a:x", .pass)], draining: true)
        #expect(!report.isReady)
        #expect(report.status == .pass)
        #expect(report.readinessText(verbose: false) == "[+]a:x ok\n[-]shutdown failed: draining\nreadiness check failed\n")
    }

    @Test func verboseListsEveryCheck() {
        let report = HealthReport(entries: [entry("a:x", .pass), entry("b:y", .pass)], draining: false)
        #expect(report.readinessText(verbose: true) == "[+]a:x ok\n[+]b:y ok\n[+]shutdown ok\nreadiness check passed\n")
    }
}

@Suite("Deadlines")
struct DeadlineTests {
    @Test func returnsTheResultInTime() async throws {
        let value = try await withDeadline(.seconds(5)) { 42 }
        #expect(value == 42)
    }

    @Test func passesErrorsThrough() async {
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await withDeadline(.seconds(5)) { throw Boom() } }
    }

    @Test func givesUpOnAnOperationThatIgnoresCancellation() async throws {
        // Like a blocked C call: resumes only when the test lets it, whatever cancellation says.
        let gate = DispatchSemaphore(value: 0)
        let finished = Mutex(false)
        await #expect(throws: DeadlineExceeded.self) {
            try await withDeadline(.milliseconds(100)) {
                await withCheckedContinuation { continuation in
                    Thread.detachNewThread {
                        _ = gate.wait(timeout: .now() + 120)
                        finished.withLock { $0 = true }
                        continuation.resume()
                    }
                }
            }
        }
        // withDeadline answered while the operation was still blocked.
        #expect(finished.withLock { $0 } == false)
        gate.signal()
    }
}

@Suite("Registry runs checks")
struct HealthCheckRegistryTests {
    @Test func aHungCheckFailsAtItsTimeout() async {
        let registry = HealthCheckRegistry()
        registry.register(ResponseTimeHealthCheck(component: "slow", timeout: .milliseconds(100)) {
            try await Task.sleep(for: .seconds(30))
        })
        let report = await registry.run(draining: false)
        #expect(report.entries.first?.observation.status == .fail)
        #expect(report.entries.first?.observation.output?.contains("timed out") == true)
        #expect(!report.isReady)
    }

    @Test func responseTimeIsReportedInMilliseconds() async throws {
        let registry = HealthCheckRegistry()
        registry.register(ResponseTimeHealthCheck(component: "fast") {})
        let report = await registry.run(draining: false)
        let observation = try #require(report.entries.first?.observation)
        #expect(report.entries.first?.name == "fast:responseTime")
        #expect(observation.status == .pass)
        #expect(observation.observedUnit == "ms")
        #expect((observation.observedValue?.doubleValue ?? -1) >= 0)
    }

    @Test func aThrowingCheckFailsWithItsError() async {
        struct Refused: Error, CustomStringConvertible { var description: String { "connection refused" } }
        let registry = HealthCheckRegistry()
        registry.register(ResponseTimeHealthCheck(component: "db") { throw Refused() })
        let report = await registry.run(draining: false)
        #expect(report.entries.first?.observation.output == "connection refused")
    }
}

import Foundation
