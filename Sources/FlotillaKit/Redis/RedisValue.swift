/// A decoded Redis reply (RESP2).
public enum RedisValue: Sendable, Equatable {
    /// A bulk string, binary-safe.
    case bulk([UInt8])
    /// A simple status such as `OK`.
    case status(String)
    case integer(Int)
    case array([RedisValue])
    /// The nil bulk string or array.
    case null
    /// An error reply (`ERR ...`, `NOSCRIPT ...`).
    case error(String)

    /// The payload as text, for bulk and status replies.
    public var string: String? {
        switch self {
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    /// The payload as an integer, for integer replies and numeric bulk strings.
    public var int: Int? {
        switch self {
        case .integer(let value): value
        case .bulk: string.flatMap { Int($0) }
        default: nil
        }
    }

    /// The elements of an array reply.
    public var array: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// Whether this is the nil reply.
    public var isNull: Bool { self == .null }
}

/// A value that can be sent as a Redis command argument.
public protocol RedisArgument: Sendable {
    /// The argument's bytes on the wire.
    var redisBytes: [UInt8] { get }
}

extension String: RedisArgument {
    public var redisBytes: [UInt8] { Array(utf8) }
}

extension Substring: RedisArgument {
    public var redisBytes: [UInt8] { Array(utf8) }
}

extension Int: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension Double: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension Array: RedisArgument where Element == UInt8 {
    public var redisBytes: [UInt8] { self }
}
