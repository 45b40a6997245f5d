import FlotillaKit
import FlotillaKitTesting
import Foundation
import HummingbirdTesting
import Logging
import Testing

@Suite("libcurl HTTP client")
struct HTTPClientTests {
    static let client = FlotillaHTTPClient(configuration: .init(userAgent: "client-tests/1.0"))

    func withServer(_ body: @Sendable (UpstreamServer, String) async throws -> Void) async throws {
        let server = UpstreamServer()
        try await server.application.application.test(.live) { client in
            try await body(server, "http://127.0.0.1:\(try #require(client.port))")
        }
    }

    @Test func getsAndPropagatesCorrelationHeaders() async throws {
        try await withServer { _, base in
            let correlation = RequestCorrelation(requestID: "req-abc", trace: .continuing("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
            let response = try await RequestCorrelation.$current.withValue(correlation) {
                try await Self.client.execute(.init(url: base + "/echo-headers", headers: [("X-Custom", "yes")]), timeout: .seconds(60))
            }
            #expect(response.status == 200)
            let lines = Set(response.text.split(separator: "\n").map(String.init))
            #expect(lines.contains("x-request-id=req-abc"))
            #expect(lines.contains("user-agent=client-tests/1.0"))
            #expect(lines.contains("x-custom=yes"))
            let traceparent = try #require(lines.first { $0.hasPrefix("traceparent=") }?.dropFirst("traceparent=".count))
            let parsed = try #require(Traceparent(parsing: String(traceparent)))
            #expect(parsed.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(parsed.parentID != correlation.trace.spanID)  // a new child span
            #expect(response.header("content-type") != nil)
        }
    }

    @Test func sendsBodiesAndReadsLargeResponses() async throws {
        try await withServer { _, base in
            let payload = [UInt8]((0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
            let echoed = try await Self.client.execute(.init(method: "POST", url: base + "/echo-body", body: payload), timeout: .seconds(60))
            #expect(echoed.body == payload)
            let big = try await Self.client.execute(.init(url: base + "/bytes/5000000"), timeout: .seconds(10))
            #expect(big.body.count == 5_000_000)
        }
    }

    @Test func refusesResponsesOverTheLimit() async throws {
        let small = FlotillaHTTPClient(configuration: { var c = FlotillaHTTPClient.Configuration(userAgent: "t"); c.maxResponseBytes = 1000; return c }())
        try await withServer { _, base in
            let error = await #expect(throws: HTTPClientError.self) { try await small.execute(.init(url: base + "/bytes/5000"), timeout: .seconds(60)) }
            #expect(error?.kind == .tooLarge)
            let exact = try await small.execute(.init(url: base + "/bytes/1000"), timeout: .seconds(60))
            #expect(exact.body.count == 1000)
        }
        await small.shutdown()
    }

    @Test func deadlineWhileReading() async throws {
        try await withServer { server, base in
            defer { server.release() }
            // The server holds the answer until released, so only the deadline can end the call.
            let error = await #expect(throws: HTTPClientError.self) { try await Self.client.execute(.init(url: base + "/held"), timeout: .milliseconds(300)) }
            #expect(error?.kind == .timeout)
            #expect(error?.message.contains("Operation timed out") == true, "\(String(describing: error))")
        }
    }

    @Test func connectionRefusedIsTyped() async throws {
        let port = try FreePort.allocate()
        let error = await #expect(throws: HTTPClientError.self) { try await Self.client.execute(.init(url: "http://127.0.0.1:\(port)/"), timeout: .seconds(2)) }
        #expect(error?.kind == .connectFailed)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        try await withServer { server, base in
            defer { server.release() }
            let call = Task { try await Self.client.execute(.init(url: base + "/held"), timeout: .seconds(120)) }
            try await waitUntil("the request reached the server") { server.heldCount == 1 }
            call.cancel()
            // The answer is held until release, so only the cancellation can end the call.
            await #expect(throws: CancellationError.self) { try await call.value }
        }
    }

    @Test func reusesConnectionsAcrossCalls() async throws {
        let client = FlotillaHTTPClient(configuration: .init(userAgent: "reuse"))
        try await withServer { server, base in
            for _ in 0..<20 { _ = try await client.execute(.init(url: base + "/bytes/10"), timeout: .seconds(60)) }
            #expect(server.requestCount == 20)
            #expect(server.connectionCount == 1)
        }
        await client.shutdown()
    }

    /// Each call's socket is closed and the next one usually gets the same descriptor number:
    /// the curl thread's epoll set must follow curl's socket callbacks exactly.
    @Test func connectionsClosedAfterEachCallAreReplacedCleanly() async throws {
        let client = FlotillaHTTPClient(configuration: .init(userAgent: "close"))
        try await withServer { server, base in
            for index in 0..<30 {
                let response = try await client.execute(.init(url: base + "/bytes/\(index)", headers: [("Connection", "close")]), timeout: .seconds(60))
                #expect(response.body.count == index, "\(response.status) \(response.text)")
            }
            #expect(server.requestCount == 30)
            #expect(server.connectionCount == 30)
        }
        await client.shutdown()
    }

    @Test func manyConcurrentCalls() async throws {
        try await withServer { server, base in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                // The ceiling only bounds a hang: 200 calls at once on a loaded machine take their time.
                for index in 0..<200 { group.addTask { try await Self.client.execute(.init(url: base + "/bytes/\(index)"), timeout: .seconds(60)).body.count } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == Array(0..<200))
            #expect(server.requestCount == 200)
        }
    }
}
