public import Logging
public import ServiceLifecycle

/// A pool of Redis connections with an async API: commands, pipelines and Lua scripts.
/// hiredis calls run on the pool's own threads (docs/adr/004); concurrent callers' commands
/// are pipelined together (``RedisBatcher``, docs/adr/013).
public final class RedisClient: Service, Sendable {
    public let configuration: RedisConfiguration
    let logger: Logger
    let connections: ConnectionPool<RedisConnection>
    private let batcher: RedisBatcher

    public init(configuration: RedisConfiguration, metrics: MetricsRegistry, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let limit = configuration.acquireTimeout
        self.connections = ConnectionPool(
            settings: ConnectionPoolSettings(
                minConnections: configuration.minConnections,
                maxConnections: configuration.maxConnections,
                acquireTimeout: configuration.acquireTimeout,
                idleValidationInterval: configuration.idleValidationInterval
            ),
            metrics: ConnectionPoolMetrics(registry: metrics, prefix: "redis_pool", what: "Redis"),
            logger: logger.with(metadataKey: "redis", value: .string(configuration.redactedDescription)),
            connect: { try RedisConnection.connect(configuration) },
            validate: { connection in
                guard try connection.send(["PING"]) == .status("PONG") else { throw RedisError(.connectionLost, "no PONG") }
            },
            failure: { reason in
                switch reason {
                case .exhausted: RedisError(.poolExhausted, "no Redis connection became free within \(limit)")
                case .closed: RedisError(.poolClosed, "the Redis pool has been shut down")
                case .backedOff: RedisError(.connectionFailed, "Redis unreachable; the next connection attempt is backed off")
                }
            }
        )
        self.batcher = RedisBatcher(connections: connections, maxInFlight: min(configuration.maxConnections, 2), metrics: metrics)
    }

    /// Run one command; an error reply is thrown as ``RedisError/Kind/server``.
    @discardableResult
    public func send(_ arguments: any RedisArgument...) async throws -> RedisValue {
        try await send(arguments)
    }

    /// Run one command given as an array of arguments.
    @discardableResult
    public func send(_ arguments: [any RedisArgument]) async throws -> RedisValue {
        let reply = try await pipeline([arguments])[0]
        if case .error(let message) = reply { throw RedisError(.server, message) }
        return reply
    }

    /// Send several commands in one round trip (shared with other callers' commands, each
    /// caller's kept together and in order); replies (including error replies) in order.
    public func pipeline(_ commands: [[any RedisArgument]]) async throws -> [RedisValue] {
        try await batcher.submit(commands)
    }

    /// Run `script` by its SHA (EVALSHA). If Redis does not know it (after a restart or
    /// `SCRIPT FLUSH`) the script is sent whole with EVAL, which also caches it again; this
    /// cannot race with another flush the way SCRIPT LOAD + EVALSHA could.
    @discardableResult
    public func run(_ script: RedisScript, keys: [any RedisArgument], arguments: [any RedisArgument] = []) async throws -> RedisValue {
        let tail: [any RedisArgument] = [keys.count] + keys + arguments
        do {
            return try await send(["EVALSHA", script.sha1] + tail)
        } catch let error as RedisError where error.code == "NOSCRIPT" {
            return try await send(["EVAL", script.source] + tail)
        }
    }

    /// Keep `minConnections` open until shutdown, then close every connection.
    public func run() async throws {
        await connections.runUntilShutdown()
    }

    /// Close the pool.
    public func close() async {
        await connections.close()
    }
}
