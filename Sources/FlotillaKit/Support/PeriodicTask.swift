public import Logging
public import ServiceLifecycle

/// A lifecycle service that runs `body` at start and every `interval` until shutdown (gauges
/// refreshed from the database, say). A failing run is logged at debug level and retried
/// after at most a second — before migrations have run, or while the database is away.
public struct PeriodicTask: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let body: @Sendable () async throws -> Void

    public init(_ name: String, every interval: Duration, logger: Logger, _ body: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.body = body
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var wait = interval
            do {
                try await body()
            } catch {
                logger.debug("\(name) failed; trying again soon", metadata: ["error.description": "\(error)"])
                wait = min(interval, .seconds(1))
            }
            let pause = wait
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }
}
