public import NIOCore

/// A response whose body arrives as it is read (``FlotillaHTTPClient/stream(_:body:length:connectTimeout:idleTimeout:)``):
/// the status and headers at once, the body as an async sequence of chunks. Reading slowly
/// slows the upstream down (the transfer pauses) instead of buffering; stop reading early with
/// ``cancel()``.
public struct HTTPClientStreamingResponse: Sendable {
    public let status: Int
    public let headers: [(String, String)]
    public let body: Body
    let stream: CurlStream

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.equalsIgnoringASCIICase(name) }?.1
    }

    /// Abandon the transfer (the reader went away).
    public func cancel() {
        stream.cancel(CancellationError())
    }

    /// The body's chunks, in order; the sequence throws if the transfer fails midway.
    public struct Body: AsyncSequence, Sendable {
        public typealias Element = ByteBuffer
        let stream: CurlStream

        public func makeAsyncIterator() -> Iterator {
            Iterator(stream: stream)
        }

        public struct Iterator: AsyncIteratorProtocol {
            let stream: CurlStream

            public mutating func next() async throws -> ByteBuffer? {
                try await stream.nextChunk()
            }
        }
    }
}
