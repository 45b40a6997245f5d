import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// A local HTTP server for client tests that can be told to be slow, big, or failing, and
/// that counts requests and the distinct client connections they came over.
final class UpstreamServer: Sendable {
    let requests = Mutex(0)
    /// The runtime of the application last made, whose server counts accepted connections.
    let runtime = Mutex<ServiceRuntime?>(nil)
    let failuresLeft = Mutex(0)
    /// Held requests (`/held`) answer only once this is set: a slow upstream whose answer
    /// comes when the test says, not after a guessed time.
    let released = Mutex(false)
    let holding = Mutex(0)

    var requestCount: Int { requests.withLock { $0 } }
    /// Connections that carried requests, as the server counts them (not distinct client
    /// addresses: a closed connection's ephemeral port can come back for the next one).
    var connectionCount: Int { runtime.withLock { $0?.lifecycle.connections.usedCount ?? 0 } }

    func failNext(_ count: Int) { failuresLeft.withLock { $0 = count } }
    /// Requests to `/held` waiting for ``release()``.
    var heldCount: Int { holding.withLock { $0 } }
    /// Let every held request (and any later one) answer.
    func release() { released.withLock { $0 = true } }
    /// Whether `/held` requests have been let go.
    var isReleased: Bool { released.withLock { $0 } }

    var application: KitTestApplication {
        let made = KitTestApplication(configure: { $0.logLevel = .warning }, routes: { router in
            router.add(middleware: CountingMiddleware(server: self))
            router.get("/echo-headers") { request, _ -> String in
                ["x-request-id", "traceparent", "user-agent", "x-custom"].map { "\($0)=\(request.headers[HTTPField.Name($0)!] ?? "")" }.joined(separator: "\n")
            }
            router.post("/echo-body") { request, _ -> ByteBuffer in
                try await request.body.collect(upTo: 1 << 24)
            }
            router.get("/bytes/{count}") { _, context -> ByteBuffer in
                let count = try context.parameters.require("count", as: Int.self)
                return ByteBuffer(repeating: UInt8(ascii: "x"), count: count)
            }
            router.get("/slow/{ms}") { _, context -> String in
                try await Task.sleep(for: .milliseconds(try context.parameters.require("ms", as: Int.self)))
                return "slow"
            }
            router.get("/held") { _, _ -> String in
                self.holding.withLock { $0 += 1 }
                defer { self.holding.withLock { $0 -= 1 } }
                // Polls rather than parks, so a test that never releases ends at the server's shutdown.
                let ceiling = ContinuousClock.now + .seconds(120)
                while !self.isReleased, ContinuousClock.now < ceiling { try await Task.sleep(for: .milliseconds(10)) }
                return "held"
            }
            router.get("/status/{code}") { request, context -> Response in
                let code = try context.parameters.require("code", as: Int.self)
                var headers = HTTPFields()
                if let retryAfter = request.uri.queryParameters["retry_after"] { headers[.retryAfter] = String(retryAfter) }
                return Response(status: .init(code: code), headers: headers)
            }
            router.on("/flaky", method: .get) { _, _ in try self.flaky() }
            router.on("/flaky", method: .post) { _, _ in try self.flaky() }
        })
        runtime.withLock { $0 = made.runtime }
        return made
    }

    private func flaky() throws -> Response {
        let fail = failuresLeft.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        return Response(status: fail ? .serviceUnavailable : .ok, body: .init(byteBuffer: ByteBuffer(string: fail ? "down" : "up")))
    }

    struct CountingMiddleware: RouterMiddleware {
        let server: UpstreamServer
        func handle(_ request: Request, context: FlotillaRequestContext, next: (Request, FlotillaRequestContext) async throws -> Response) async throws -> Response {
            server.requests.withLock { $0 += 1 }
            return try await next(request, context)
        }
    }
}
