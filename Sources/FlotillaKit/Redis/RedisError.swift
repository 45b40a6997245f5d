import HTTPTypes

/// A Redis failure.
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case connectionFailed
        /// The connection broke or timed out during a command.
        case connectionLost
        /// Redis answered with an error reply.
        case server
        case poolExhausted
        case poolClosed
        /// A reply of an unexpected shape.
        case unexpectedReply
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "redis \(kind): \(message)" }

    /// The error reply's code (`NOSCRIPT`, `WRONGTYPE`, ...), for server errors.
    public var code: String? {
        kind == .server ? message.split(separator: " ").first.map(String.init) : nil
    }
}

extension RedisError: APIErrorConvertible {
    public var apiError: APIError {
        switch kind {
        case .connectionFailed, .connectionLost, .poolExhausted, .poolClosed:
            APIError(.serviceUnavailable, code: "cache_unavailable", message: "A backing store is unavailable right now; retry shortly.", headers: [.retryAfter: "1"])
        case .server, .unexpectedReply:
            .internalError
        }
    }
}
