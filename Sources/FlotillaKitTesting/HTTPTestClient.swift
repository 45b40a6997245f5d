import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A minimal HTTP client for tests that talk to service processes over real sockets.
public enum HTTPTestClient {
    /// A response, with the body as text.
    public struct Reply: Sendable {
        public let status: Int
        let headers: HTTPHeaders
        public let body: String

        /// The first value of header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers[name].first
        }
    }

    /// Send one request over a connection of its own and read the whole response.
    ///
    /// Each request says `Connection: close` (unless `headers` name `Connection`): a pooled
    /// keep-alive connection could be closed by a draining service just as it is reused,
    /// which tests of shutdown would see as a failure of the service rather than of the pool.
    public static func send(
        _ method: String = "GET",
        _ url: String,
        headers: [(String, String)] = [],
        body: String? = nil,
        streamedBody: [String]? = nil,
        timeout: Duration = .seconds(15)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !request.headers.contains(name: "Connection") { request.headers.add(name: "Connection", value: "close") }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        if let streamedBody {
            // Sent chunked: the length is not declared up front.
            request.body = .stream(streamedBody.map { ByteBuffer(string: $0) }.async, length: .unknown)
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(timeout.components.seconds * 1_000_000_000))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence.
    fileprivate var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
