import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// The demo binary as a real process: the ops contract from outside, its logs, its exit
/// codes and its shutdown sequence.
@Suite("flotilla-kit-demo process", .serialized)
struct DemoProcessTests {
    static let binary = "flotilla-kit-demo"

    @Test func answersTheOpsContractAndLogsJSONLines() async throws {
        let service = try ServiceProcess(executable: Self.binary, environment: ["LOG_LEVEL": "debug"])
        defer { service.stop() }
        try await service.waitUntilAnswering()

        let live = try await HTTPTestClient.send("GET", service.baseURL + "/live")
        #expect(live.status == 200)
        let ready = try await HTTPTestClient.send("GET", service.baseURL + "/ready?verbose")
        #expect(ready.status == 200)
        #expect(ready.body.hasSuffix("readiness check passed\n"))
        let health = try await HTTPTestClient.send("GET", service.baseURL + "/health")
        #expect(health.status == 200)
        #expect(health.header("Content-Type") == "application/health+json")
        let document = try JSONDecoder().decode(HealthDocument.self, from: Data(health.body.utf8))
        #expect(document.serviceId == "flotilla-kit-demo")
        #expect(document.status == .pass)

        let echo = try await HTTPTestClient.send("GET", service.baseURL + "/echo/ada", headers: [("X-Request-ID", "demo-req-1")])
        #expect(echo.status == 200)
        #expect(echo.header("X-Request-ID") == "demo-req-1")
        #expect(echo.body.contains(#""echo":"ada""#))

        let metrics = try await HTTPTestClient.send("GET", service.baseURL + "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains(#"http_server_requests_total{method="GET",route="/echo/{name}",status="200"} 1"#))
        let lint = try await Promtool.checkMetrics(metrics.body)
        #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")

        // Every line on stdout is a JSON object; the echo's lines carry its request ID.
        try await waitUntil("the echo's completion is logged") { service.outputLines.contains { $0.contains("request completed") && $0.contains("demo-req-1") } }
        let records = try service.outputLines.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
        #expect(records.allSatisfy { $0["service"] == "flotilla-kit-demo" && $0["timestamp"] != nil && $0["level"] != nil })
        let echoLines = records.filter { $0["request_id"] == "demo-req-1" }
        #expect(echoLines.contains { $0["message"] == "echo" })
        #expect(echoLines.contains { $0["message"] == "request completed" && $0["http.route"] == "/echo/{name}" })
    }

    @Test func healthcheckSubcommandReflectsReadiness() async throws {
        let service = try ServiceProcess(executable: Self.binary)
        defer { service.stop() }
        try await service.waitUntilAnswering()

        let healthy = try await ServiceProcess.run(executable: Self.binary, arguments: ["healthcheck", "--url", service.baseURL + "/ready"])
        #expect(healthy.status == 0)
        let deadPort = try FreePort.allocate()
        let unreachable = try await ServiceProcess.run(
            executable: Self.binary, arguments: ["healthcheck", "--url", "http://127.0.0.1:\(deadPort)/ready", "--timeout", "1"])
        #expect(unreachable.status == 1)
        #expect(unreachable.output.contains("cannot reach the service"))
        let missingPath = try await ServiceProcess.run(executable: Self.binary, arguments: ["healthcheck", "--url", service.baseURL + "/nope"])
        #expect(missingPath.status == 1)
        #expect(missingPath.output.contains("HTTP 404"))
    }

    @Test func sleepSubcommandForPreStopHooks() async throws {
        let started = ContinuousClock.now
        let slept = try await ServiceProcess.run(executable: Self.binary, arguments: ["sleep", "0.3"])
        #expect(slept.status == 0)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        let bad = try await ServiceProcess.run(executable: Self.binary, arguments: ["sleep", "soon"])
        #expect(bad.status == 64 && bad.output.contains("usage: sleep SECONDS"))
    }

    @Test func invalidConfigurationFailsFastNamingTheVariables() async throws {
        let result = try await ServiceProcess.run(executable: Self.binary, environment: ["PORT": "eighty", "LOG_FORMAT": "xml"])
        #expect(result.status == ServiceCommand.configurationErrorStatus)
        #expect(result.output.contains(#"PORT="eighty" is invalid"#))
        #expect(result.output.contains(#"LOG_FORMAT="xml" is invalid: expected one of json, pretty"#))
    }

    @Test func sigtermDrainsFinishesInFlightAndExitsZero() async throws {
        let service = try ServiceProcess(
            executable: Self.binary,
            environment: ["SHUTDOWN_DRAIN_SECONDS": "3", "SHUTDOWN_TIMEOUT_SECONDS": "10"]
        )
        defer { service.stop() }
        try await service.waitUntilAnswering("/ready")

        // A request that is still being served when the listener closes.
        let inFlight = Task { try await HTTPTestClient.send("GET", service.baseURL + "/echo/slow?delay_ms=5000") }
        try await waitUntil("the slow request is being served") {
            try await HTTPTestClient.send("GET", service.baseURL + "/metrics").body.contains("http_server_requests_in_flight 2")
        }
        service.send(SIGTERM)

        // Draining: not ready, but still serving new requests (each told to close its connection).
        try await waitUntil("the service is draining") { try await HTTPTestClient.send("GET", service.baseURL + "/ready").status == 503 }
        let ready = try await HTTPTestClient.send("GET", service.baseURL + "/ready")
        #expect(ready.body.contains("[-]shutdown failed: draining"))
        let live = try await HTTPTestClient.send("GET", service.baseURL + "/echo/during-drain", headers: [("Connection", "keep-alive")])
        #expect(live.status == 200)
        #expect(live.header("Connection")?.lowercased() == "close")

        // After the drain delay the listener is closed: new connections are refused.
        try await waitUntil("the listener is closed") {
            let probe = try HealthcheckProbe(url: service.baseURL + "/live", timeoutSeconds: 1)
            return (try? await BlockingWork.run { try probe.run() }) == nil
        }

        // The in-flight request still completes, and the process exits cleanly.
        let slow = try await inFlight.value
        #expect(slow.status == 200)
        #expect(slow.body.contains(#""echo":"slow""#))
        #expect(try await service.waitForExit(timeout: .seconds(15)) == 0)
        #expect(service.outputLines.contains { $0.contains("shutdown requested") })
    }
}
