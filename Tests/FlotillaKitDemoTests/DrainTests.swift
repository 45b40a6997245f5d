import FlotillaKit
import FlotillaKitTesting
import Foundation
import Synchronization
import Testing

/// SIGTERM under keep-alive traffic: while the service drains, responses say
/// `Connection: close` and idle keep-alive connections are closed cleanly, so a keep-alive
/// client reconnects instead of meeting a reset, a connection opened just before the drain
/// still has its first request served, and no request fails.
@Suite("flotilla-kit-demo draining keep-alive connections")
struct DrainTests {
    /// Sequential keep-alive calls until told to stop; what they saw.
    final class Caller: Sendable {
        let client = FlotillaHTTPClient(configuration: .init(userAgent: "drain-tests"))
        let stop = Atomic<Bool>(false)
        let outcomes = Mutex<(ok: Int, failed: [String], closing: Int)>((0, [], 0))

        func run(_ url: String) async {
            while !stop.load(ordering: .relaxed) {
                do {
                    let response = try await client.execute(.init(url: url), timeout: .seconds(60))
                    let closing = response.header("Connection")?.lowercased() == "close"
                    outcomes.withLock {
                        if response.status == 200 { $0.ok += 1 } else { $0.failed.append("status \(response.status)") }
                        if closing { $0.closing += 1 }
                    }
                } catch {
                    outcomes.withLock { $0.failed.append("\(error)") }
                }
            }
        }

        var ok: Int { outcomes.withLock { $0.ok } }
    }

    @Test func noKeepAliveRequestFailsAcrossSIGTERM() async throws {
        // A drain far longer than the test needs: the phases below wait for conditions.
        let service = try ServiceProcess(
            executable: "flotilla-kit-demo", environment: ["SHUTDOWN_DRAIN_SECONDS": "60", "SHUTDOWN_TIMEOUT_SECONDS": "10", "LOG_LEVEL": "warning"])
        defer { service.stop() }
        try await service.waitUntilAnswering("/ready")
        let port = try #require(URL(string: service.baseURL)?.port)
        // A keep-alive connection that has carried a request and is idle when the drain begins.
        let idle = try RawHTTPConnection(port: port)
        try await idle.send(Array("GET /echo/first HTTP/1.1\r\nHost: demo\r\n\r\n".utf8))
        #expect(try await idle.readResponse().hasPrefix("HTTP/1.1 200"))
        // A connection the client has only just opened: its first request is still to come.
        let fresh = try RawHTTPConnection(port: port)

        let callers = (0..<4).map { _ in Caller() }
        let loops = callers.map { caller in Task { await caller.run(service.baseURL + "/echo/keepalive") } }
        try await waitUntil("every caller has been answered over keep-alive") { callers.allSatisfy { $0.ok >= 3 } }

        service.send(SIGTERM)
        try await waitUntil("the service is draining") { try await HTTPTestClient.send("GET", service.baseURL + "/ready").status == 503 }
        #expect(try await idle.isClosedByPeer(), "an idle keep-alive connection is closed cleanly (end-of-file, not a reset)")
        try await fresh.send(Array("GET /echo/fresh HTTP/1.1\r\nHost: demo\r\n\r\n".utf8))
        let first = try await fresh.readUntilClosed()
        #expect(first.hasPrefix("HTTP/1.1 200"), "a just-opened connection's first request is served: \(first)")
        #expect(first.lowercased().contains("connection: close"))
        let before = callers.map(\.ok)
        try await waitUntil("every caller has made 20 more calls while draining") { zip(callers, before).allSatisfy { $0.ok >= $1 + 20 } }
        for caller in callers { caller.stop.store(true, ordering: .relaxed) }
        for loop in loops { await loop.value }

        let failed = callers.flatMap { $0.outcomes.withLock { $0.failed } }
        #expect(failed.isEmpty, "failed requests: \(failed)")
        #expect(callers.allSatisfy { $0.outcomes.withLock { $0.closing } >= 20 }, "responses while draining say Connection: close")
        let during = try await HTTPTestClient.send("GET", service.baseURL + "/echo/late", headers: [("Connection", "keep-alive")])
        #expect(during.status == 200)
        #expect(during.header("Connection")?.lowercased() == "close")
        for caller in callers { await caller.client.shutdown() }
    }
}
