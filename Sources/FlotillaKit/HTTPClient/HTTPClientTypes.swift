/// An outgoing request.
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    /// Whether a failed attempt may be retried; defaults to the method's idempotency.
    public var idempotent: Bool
    /// Sign the request with these credentials (the caller sets `x-amz-content-sha256`).
    public var signing: AWSSigV4?

    public init(
        method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil, idempotent: Bool? = nil, signing: AWSSigV4? = nil
    ) {
        self.signing = signing
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.idempotent = idempotent ?? RetryPolicy.isIdempotent(method)
    }
}

/// A complete response.
public struct HTTPClientResponse: Sendable {
    public let status: Int
    /// Header lines of the final response, in order.
    public let headers: [(String, String)]
    public let body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.equalsIgnoringASCIICase(name) }?.1
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why a call failed, with transport failures and upstream statuses kept apart.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Nothing listened, or the connection was refused.
        case connectFailed = "connect_failed"
        /// The host name did not resolve.
        case dns
        /// The deadline passed (while connecting or transferring).
        case timeout
        case tls
        /// The response body was larger than allowed.
        case tooLarge = "too_large"
        /// The upstream's breaker is open: no call was made.
        case circuitOpen = "circuit_open"
        /// The upstream's bulkhead is full: no call was made.
        case bulkheadFull = "bulkhead_full"
        /// A streamed request body stopped arriving from its producer (a stalled client).
        case bodyStalled = "body_stalled"
        /// Any other transport failure.
        case transport
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "http client \(kind.rawValue): \(message)" }
}
