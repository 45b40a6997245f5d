import Prometheus
import Synchronization

/// Automatic pipelining for ``RedisClient``: commands from concurrent callers that arrive
/// while a round trip is in flight are queued and sent together as the next pipeline, on
/// one pooled connection, in one hop to the pool's threads. Under load one write and one
/// read serve dozens of requests; alone, a command goes out at once as before.
///
/// Each caller's commands stay contiguous and in order (a `MULTI` … `EXEC` pipeline stays
/// atomic); an error reply reaches only its caller; a lost connection fails the batch it
/// carried. Commands that block the connection (`BLPOP`, `XREAD BLOCK`, `SUBSCRIBE`) must
/// not come through here.
final class RedisBatcher: Sendable {
    private struct Pending: @unchecked Sendable {
        let commands: [[any RedisArgument]]
        let continuation: CheckedContinuation<[RedisValue], any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var drainers = 0
    }

    private let state = Mutex(State())
    private let connections: ConnectionPool<RedisConnection>
    /// Round trips in flight at once (each on its own connection).
    private let maxDrainers: Int
    private let roundTrips: Counter
    private let commandsSent: Counter
    /// Commands in one round trip at most; the rest wait for the next.
    static let maxCommandsPerTrip = 512

    init(connections: ConnectionPool<RedisConnection>, maxInFlight: Int, metrics: MetricsRegistry) {
        self.connections = connections
        self.maxDrainers = max(1, maxInFlight)
        roundTrips = metrics.prometheus.makeCounter(descriptor: .named("redis_round_trips_total", help: "Pipelines written to Redis (each one write and one read)."))
        commandsSent = metrics.prometheus.makeCounter(descriptor: .named("redis_commands_total", help: "Commands sent to Redis, over all round trips."))
    }

    /// Send `commands` in the next round trip; their replies in order.
    func submit(_ commands: [[any RedisArgument]]) async throws -> [RedisValue] {
        try await withCheckedThrowingContinuation { continuation in
            let startDrainer = state.withLock { state in
                state.queue.append(Pending(commands: commands, continuation: continuation))
                guard state.drainers < maxDrainers else { return false }
                state.drainers += 1
                return true
            }
            if startDrainer { Task { await drain() } }
        }
    }

    /// Send what is queued, trip after trip, until the queue is empty.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Pending] in
                var count = 0
                let taken = state.queue.prefix { pending in
                    defer { count += pending.commands.count }
                    return count == 0 || count + pending.commands.count <= Self.maxCommandsPerTrip
                }
                state.queue.removeFirst(taken.count)
                if taken.isEmpty { state.drainers -= 1 }
                return Array(taken)
            }
            guard !batch.isEmpty else { return }
            await send(batch)
        }
    }

    private func send(_ batch: [Pending]) async {
        let commands = batch.flatMap(\.commands)
        roundTrips.increment()
        commandsSent.increment(by: Int64(commands.count))
        do {
            let replies = try await connections.withConnection { connection in
                try await connections.executor.run { try connection.pipeline(commands) }
            }
            var offset = 0
            for pending in batch {
                pending.continuation.resume(returning: Array(replies[offset..<offset + pending.commands.count]))
                offset += pending.commands.count
            }
        } catch {
            for pending in batch { pending.continuation.resume(throwing: error) }
        }
    }
}
