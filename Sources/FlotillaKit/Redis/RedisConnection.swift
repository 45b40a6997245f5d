import CHiredis
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One hiredis connection. Every method blocks, so it is only called on the pool's
/// dedicated threads by the single borrower holding it.
final class RedisConnection: PooledConnection, @unchecked Sendable {
    private let context: UnsafeMutablePointer<redisContext>
    var lastReleased: ContinuousClock.Instant = .now

    private init(context: UnsafeMutablePointer<redisContext>) {
        self.context = context
    }

    deinit {
        redisFree(context)
    }

    /// Connect, set the command timeout, AUTH and SELECT (blocking).
    static func connect(_ configuration: RedisConfiguration) throws(RedisError) -> RedisConnection {
        let seconds = configuration.timeout.components.seconds
        let micros = configuration.timeout.components.attoseconds / 1_000_000_000_000
        let timeout = timeval(tv_sec: Int(seconds), tv_usec: Int(micros))
        guard let context = redisConnectWithTimeout(configuration.host, Int32(configuration.port), timeout) else {
            throw RedisError(.connectionFailed, "out of memory")
        }
        let connection = RedisConnection(context: context)
        guard context.pointee.err == 0 else {
            throw RedisError(.connectionFailed, "\(configuration.redactedDescription): \(connection.errorText)")
        }
        redisSetTimeout(context, timeout)
        if let password = configuration.password {
            var auth: [any RedisArgument] = ["AUTH"]
            if let username = configuration.username { auth.append(username) }
            auth.append(password)
            if case .error(let message) = try connection.send(auth) {
                throw RedisError(.connectionFailed, "authentication failed: \(message)")
            }
        }
        if configuration.database != 0, case .error(let message) = try connection.send(["SELECT", configuration.database]) {
            throw RedisError(.connectionFailed, "SELECT \(configuration.database) failed: \(message)")
        }
        return connection
    }

    /// Whether the connection is still usable.
    var isReusable: Bool { context.pointee.err == 0 }

    /// Send one command and read its reply; an error reply is returned, not thrown.
    func send(_ arguments: [any RedisArgument]) throws(RedisError) -> RedisValue {
        try append(arguments)
        return try readReply()
    }

    /// Send several commands in one write and read all their replies (pipelining).
    func pipeline(_ commands: [[any RedisArgument]]) throws(RedisError) -> [RedisValue] {
        for command in commands { try append(command) }
        var replies = [RedisValue]()
        replies.reserveCapacity(commands.count)
        for _ in commands { replies.append(try readReply()) }
        return replies
    }

    /// Read the next reply pushed by the server (pub/sub messages).
    func readPushed() throws(RedisError) -> RedisValue {
        try readReply()
    }

    /// Set the socket timeout of every later command (a blocking command needs its block time
    /// and more).
    func setTimeout(_ timeout: Duration) {
        let micros = timeout.components.attoseconds / 1_000_000_000_000
        redisSetTimeout(context, timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(micros)))
    }

    /// Wait for replies without a time limit (a subscriber connection idles between messages).
    func waitWithoutTimeout() {
        redisSetTimeout(context, timeval())
    }

    /// Shut the socket down so a read blocked on another thread returns at once.
    func shutdownSocket() {
        _ = shutdown(context.pointee.fd, Int32(SHUT_RDWR))
    }

    private func append(_ arguments: [any RedisArgument]) throws(RedisError) {
        let buffers = arguments.map(\.redisBytes)
        let status: Int32 = withPointers(to: buffers) { pointers, lengths in
            redisAppendCommandArgv(context, Int32(buffers.count), pointers, lengths)
        }
        guard status == REDIS_OK else { throw RedisError(.connectionLost, errorText) }
    }

    private func readReply() throws(RedisError) -> RedisValue {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
            throw RedisError(.connectionLost, errorText)
        }
        defer { freeReplyObject(raw) }
        return Self.decode(raw.assumingMemoryBound(to: redisReply.self).pointee)
    }

    private static func decode(_ reply: redisReply) -> RedisValue {
        switch reply.type {
        case REDIS_REPLY_STRING:
            return .bulk(Array(UnsafeRawBufferPointer(start: reply.str, count: reply.len)))
        case REDIS_REPLY_STATUS:
            return .status(String(cString: reply.str))
        case REDIS_REPLY_ERROR:
            return .error(String(cString: reply.str))
        case REDIS_REPLY_INTEGER:
            return .integer(Int(reply.integer))
        case REDIS_REPLY_ARRAY:
            return .array((0..<reply.elements).map { decode(reply.element[$0]!.pointee) })
        default:
            return .null
        }
    }

    private var errorText: String {
        withUnsafeBytes(of: context.pointee.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

/// Calls `body` with C views of `buffers`: argument pointers and their lengths.
private func withPointers<Result>(
    to buffers: [[UInt8]],
    _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Result
) -> Result {
    let storage = buffers.map { buffer -> UnsafeMutablePointer<CChar> in
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(buffer.count, 1))
        copy.initialize(from: buffer, count: buffer.count)
        return UnsafeMutableRawPointer(copy).assumingMemoryBound(to: CChar.self)
    }
    defer { storage.forEach { $0.deallocate() } }
    var pointers = storage.map { UnsafePointer<CChar>?($0) }
    let lengths = buffers.map(\.count)
    return pointers.withUnsafeMutableBufferPointer { pointers in
        lengths.withUnsafeBufferPointer { body(pointers.baseAddress!, $0.baseAddress!) }
    }
}
