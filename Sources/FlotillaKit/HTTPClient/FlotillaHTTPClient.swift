public import NIOCore
public import ServiceLifecycle
import Synchronization

/// Service-to-service HTTP over libcurl: one multi handle on a dedicated thread, keep-alive
/// connection reuse, HTTP/2 where offered, TLS verification on. Every call carries the
/// current request's `X-Request-ID`, a child `traceparent`, and a `User-Agent` naming the
/// service. Run it as a `Service` so it stops with the application.
public final class FlotillaHTTPClient: Service, Sendable {
    /// Client-wide settings.
    public struct Configuration: Sendable {
        /// `User-Agent`, e.g. `gateway/1.2.0`.
        public var userAgent: String
        /// Largest response body accepted.
        public var maxResponseBytes: Int = 10 << 20
        /// Connections kept alive across all upstreams.
        public var maxConnections: Int = 64

        public init(userAgent: String) {
            self.userAgent = userAgent
        }
    }

    public let configuration: Configuration
    private let loop: CurlMultiLoop

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.loop = CurlMultiLoop(maxConnections: configuration.maxConnections)
    }

    /// Send `request`, giving up after `timeout` (connecting and transferring included).
    /// Transport failures throw ``HTTPClientError``; any HTTP status is a response.
    public func execute(_ request: HTTPClientRequest, timeout: Duration) async throws -> HTTPClientResponse {
        var request = request
        request.headers = propagatedHeaders(request.headers)
        let transfer = try CurlTransfer(request: request, timeout: timeout, maxResponseBytes: configuration.maxResponseBytes)
        return try await loop.perform(transfer)
    }

    /// Send `request` with `body` streamed to the upstream (`length` bytes when known, else
    /// chunked) and return as soon as the response's head arrives; its body streams too.
    /// Memory stays bounded both ways. There is no deadline for the whole transfer: connecting
    /// must take less than `connectTimeout`, and a transfer moving no byte for `idleTimeout`
    /// fails. If `body` fails (the client went away) the transfer stops.
    public func stream<Body: AsyncSequence & Sendable>(
        _ request: HTTPClientRequest, body: Body?, length: Int64?, connectTimeout: Duration, idleTimeout: Duration
    ) async throws -> HTTPClientStreamingResponse where Body.Element == ByteBuffer {
        var request = request
        request.headers = propagatedHeaders(request.headers)
        let stream = try CurlStream(
            request: request, uploads: body != nil, length: length, connectTimeout: connectTimeout, idleTimeout: idleTimeout, loop: loop)
        loop.start(stream)
        let producer = body.map { body in
            Task {
                // curl does not time out a transfer it paused for want of bytes: a watchdog does.
                let progress = ProgressClock()
                let watchdog = Task {
                    while !Task.isCancelled {
                        try await Task.sleep(for: min(idleTimeout, .seconds(1)))
                        if progress.idle > idleTimeout {
                            stream.cancel(HTTPClientError(.bodyStalled, "no request body byte for \(idleTimeout)"))
                            return
                        }
                    }
                }
                defer { watchdog.cancel() }
                do {
                    for try await chunk in body {
                        progress.tick()
                        try await stream.send(chunk)
                        progress.tick()
                    }
                    stream.finishSending()
                } catch {
                    stream.cancel(error)
                }
            }
        }
        do {
            let head = try await withTaskCancellationHandler {
                try await stream.head()
            } onCancel: {
                stream.cancel(CancellationError())
            }
            return HTTPClientStreamingResponse(status: head.status, headers: head.headers, body: .init(stream: stream), stream: stream)
        } catch {
            producer?.cancel()
            throw error
        }
    }

    /// Correlation and identity headers added to every call unless the caller set them.
    func propagatedHeaders(_ headers: [(String, String)]) -> [(String, String)] {
        var headers = headers
        func addIfMissing(_ name: String, _ value: String) {
            if !headers.contains(where: { $0.0.equalsIgnoringASCIICase(name) }) { headers.append((name, value)) }
        }
        if let correlation = RequestCorrelation.current {
            addIfMissing("X-Request-ID", correlation.requestID)
            addIfMissing("traceparent", correlation.trace.childSpan().traceparent)
        }
        addIfMissing("User-Agent", configuration.userAgent)
        return headers
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Stop the transfer thread; calls still running fail.
    public func shutdown() async {
        await loop.shutdown()
    }
}

/// When a producer last made progress.
private final class ProgressClock: Sendable {
    private let last = Atomic<Int64>(ProgressClock.now)

    func tick() {
        last.store(Self.now, ordering: .relaxed)
    }

    /// How long since the last tick.
    var idle: Duration { .nanoseconds(Self.now - last.load(ordering: .relaxed)) }

    private static var now: Int64 {
        let instant = ContinuousClock.now - ContinuousClock.Instant.zeroReference
        return instant.components.seconds * 1_000_000_000 + instant.components.attoseconds / 1_000_000_000
    }
}

extension ContinuousClock.Instant {
    fileprivate static let zeroReference = ContinuousClock.now
}
