import FlotillaKit
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A producer (`benchsource`: outbox and relay) and a consumer (`benchsink`: a consumer group
/// whose handler notes each event's commit-to-handler latency), built as services build
/// themselves (``DataService``) on scratch schemas and a scratch stream namespace, and run
/// without HTTP servers.
final class EventsBench: Sendable {
    private let producer: DataService
    private let consumer: DataService
    private let producers: Int
    private let searchProducers: Int
    private let logger: Logger
    private let unique: String
    private let handled = HandledEvents()

    /// `producers` commit the latency phase's events; `searchProducers` those of the rate
    /// search, where few producers committing many events each keep the load generator's own
    /// commits (a PostgreSQL transaction each, on the same two cores) from being what is measured.
    init(databaseURL: String, redisURL: String, producers: Int, searchProducers: Int) throws {
        unique = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let common = [
            "DATABASE_URL": databaseURL, "REDIS_URL": redisURL, "LOG_LEVEL": "warning", "EVENTS_STREAM_PREFIX": "bench:\(unique):",
            "DB_POOL_MAX_CONNECTIONS": String(max(producers, searchProducers) + 4), "EVENTS_READ_BLOCK_SECONDS": "1",
            "MIGRATE_ON_START": "false",
        ]
        func service(_ name: String, schema: String, migrations: [Migration]) throws -> DataService {
            var environment = EnvironmentReader(common.merging(["DB_SCHEMA": schema]) { $1 })
            let configuration = DataServiceConfiguration(identity: ServiceIdentity(name: name, version: "0", defaultPort: 0), environment: &environment)
            try environment.validate()
            return DataService(configuration, migrations: migrations)
        }
        producer = try service("benchsource", schema: "bench_events_source_\(unique)", migrations: Self.producerMigrations)
        consumer = try service("benchsink", schema: "bench_events_sink_\(unique)", migrations: Self.consumerMigrations)
        self.producers = producers
        self.searchProducers = searchProducers
        self.logger = producer.runtime.logger
        producer.publishEvents()
        var handlers = EventHandlers()
        let handled = self.handled
        handlers.on("bench.sent") { event, _ in
            // Counted even without a time (a whole-second time decodes as an integer: any number will do).
            let committed = event.data["t"]?.doubleValue
            handled.record(committed.map { .microseconds(Int64((Date().timeIntervalSince1970 - $0) * 1_000_000)) })
        }
        consumer.consumeEvents(from: ["benchsource"], handlers: handlers)
    }

    static let producerMigrations = Outbox.migrations(startingAt: 1) + [Outbox.publishedEventsMigration(version: 3)]
    static let consumerMigrations = [ProcessedEvents.migration(version: 1)]

    /// Latency at `rate` events a second (after a second's warm-up), then rates doubling from
    /// it while the consumer keeps up and up to four halvings of the last gap, `seconds` each: the
    /// highest rate sustained with bounded lag. Failed or interrupted (its task cancelled), it
    /// still stops its services and drops its scratch schemas and streams.
    func run(rate: Int, seconds: Int) async throws -> EventsBenchResults {
        do {
            try await prepare()
            let group = ServiceGroup(configuration: .init(services: producer.lifecycleServices + consumer.lifecycleServices, logger: logger))
            let running = Task { try await group.run() }
            do {
                let results = try await measure(rate: rate, seconds: seconds)
                await group.triggerGracefulShutdown()
                _ = try? await running.value
                try await cleanUp()
                return results
            } catch {
                running.cancel()
                _ = try? await running.value
                throw error
            }
        } catch {
            // A task of its own, which the run's cancellation does not reach.
            await Task { try? await self.cleanUp() }.value
            throw error
        }
    }

    /// The scratch schemas, and a backlog committed before the relay and consumer start.
    private func prepare() async throws {
        try await Migrator(schema: producer.configuration.database.schema, migrations: Self.producerMigrations).migrate(on: producer.pool, logger: logger)
        try await Migrator(schema: consumer.configuration.database.schema, migrations: Self.consumerMigrations).migrate(on: consumer.pool, logger: logger)
        // A backlog committed before the relay and consumer start, then drained: what the two
        // carry with no producer beside them on the same cores.
        for first in stride(from: 0, to: Self.drainBacklog, by: Self.drainCommitSize) {
            try await commit(Array(first..<min(first + Self.drainCommitSize, Self.drainBacklog)))
        }
        handled.reset()
    }

    /// The phases, with the relay and consumer running from the start: the backlog drained,
    /// the latency at `rate`, then the rate search.
    private func measure(rate: Int, seconds: Int) async throws -> EventsBenchResults {
        let drainStarted = ContinuousClock.now
        try await waitForHandled(Self.drainBacklog, ceiling: .seconds(600))
        let drainPerSecond = Double(Self.drainBacklog) / ((ContinuousClock.now - drainStarted) / .seconds(1))

        // A second at the rate first, not measured: pools open their connections, the relay its
        // listener and the group its first read — a start-up cost, not the steady state's.
        _ = try await phase(rate: rate, seconds: 1, producers: producers)
        let steady = try await phase(rate: rate, seconds: seconds, producers: producers)
        var sustained = steady.bounded ? rate : 0
        var sustainedBatch = steady.eventsPerCommit
        var (lagAtEnd, lateAtEnd) = (steady.lagAtEnd, steady.producersLate)
        var failed: Int?
        var tries: [String] = []
        // A rate fails when two runs of it in a row miss: one stall of this shared machine (a
        // checkpoint, another process) is not the bus's limit. Every run is printed.
        func attempt(_ rate: Int) async throws {
            var outcomes: [Phase] = []
            repeat {
                outcomes.append(try await phase(rate: rate, seconds: seconds, producers: searchProducers))
            } while !outcomes.last!.bounded && outcomes.count < 2
            tries.append("\(rate) " + outcomes.map { $0.bounded ? "✓" : "✗" }.joined(separator: ""))
            let last = outcomes.last!
            if last.bounded {
                (sustained, sustainedBatch) = (rate, last.eventsPerCommit)
            } else {
                (failed, lagAtEnd, lateAtEnd) = (rate, last.lagAtEnd, last.producersLate)
            }
        }
        // Doubling until a rate is not sustained, then halving the gap down to a sixteenth of the
        // last doubling (four halvings at most), so the figure is within ~6 % of the limit.
        var next = rate * 2
        while steady.bounded, failed == nil, next <= 64_000 {
            try await attempt(next)
            next *= 2
        }
        for _ in 0..<4 {
            guard sustained > 0, let upper = failed, upper - sustained > rate / 2 else { break }
            try await attempt((sustained + upper) / 2)
        }
        return EventsBenchResults(
            steady: steady.latencies, steadyEventsPerCommit: steady.eventsPerCommit, sustainedPerSecond: Double(sustained),
            sustainedEventsPerCommit: sustainedBatch, lagAtEnd: lagAtEnd, lateAtEnd: lateAtEnd, tries: tries, drainPerSecond: drainPerSecond)
    }

    /// What one phase saw: latencies, and whether it was sustained — the producers kept the
    /// schedule and the backlog was gone within a second of their stopping.
    struct Phase {
        let latencies: LatencyRecorder
        let bounded: Bool
        let lagAtEnd: Int
        /// How long after the schedule's end the producers committed their last event.
        let producersLate: Duration
        /// Events per producer commit, on average.
        let eventsPerCommit: Double
    }

    /// `rate` events a second for `seconds`, committed on schedule by `producers`: a
    /// producer commits its event when due, with any others that have come due meanwhile (up to
    /// ``maxEventsPerCommit``), so at high rates the load generator's own commits do not bound
    /// what the relay and consumer are asked to carry.
    private func phase(rate: Int, seconds: Int, producers: Int) async throws -> Phase {
        handled.reset()
        let total = rate * seconds
        let next = SharedCounter()
        let commits = SharedCounter()
        let start = ContinuousClock.now
        func due(_ index: Int) -> ContinuousClock.Instant { start + .microseconds(Int64(index) * 1_000_000 / Int64(rate)) }
        func dueCount() -> Int { min(total, Int((ContinuousClock.now - start) / .seconds(1) * Double(rate)) + 1) }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for _ in 0..<producers {
                tasks.addTask {
                    while true {
                        let first = next.increment() - 1
                        guard first < total else { return }
                        try await Task.sleep(until: due(first))
                        var indices = [first]
                        while indices.count < Self.maxEventsPerCommit, let more = next.claim(below: dueCount()) { indices.append(more) }
                        try await self.commit(indices)
                        commits.increment()
                    }
                }
            }
            try await tasks.waitForAll()
        }
        let producersLate = max(.zero, ContinuousClock.now - start - .seconds(seconds))
        let keptSchedule = producersLate < .milliseconds(500)
        let lag = total - handled.count
        let drained = (try? await waitForHandled(total, ceiling: .seconds(1))) != nil
        if !drained { try await waitForHandled(total, ceiling: .seconds(600)) }
        return Phase(latencies: handled.latencies, bounded: keptSchedule && drained, lagAtEnd: lag, producersLate: producersLate,
                     eventsPerCommit: Double(total) / Double(max(1, commits.value)))
    }

    /// Events committed before the relay and consumer start, and how many per commit.
    static let drainBacklog = 60_000
    static let drainCommitSize = 500

    /// The most events one producer commits together.
    static let maxEventsPerCommit = 50

    private func commit(_ indices: [Int]) async throws {
        try await producer.pool.withTransaction { session in
            let committed = JSONValue.double(Date().timeIntervalSince1970)
            try await session.recordEvents(indices.map { OutboxEvent("bench.sent", aggregate: "bench", id: "p\($0 % 64)", data: ["t": committed]) })
        }
    }

    private func waitForHandled(_ count: Int, ceiling: Duration) async throws {
        let deadline = ContinuousClock.now + ceiling
        while handled.count < count {
            guard ContinuousClock.now < deadline else {
                throw BenchFailure("only \(handled.count) of \(count) events were handled within \(ceiling)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Drop the scratch schemas and streams, with clients of its own (the services' have
    /// shut down with them).
    private func cleanUp() async throws {
        let metrics = MetricsRegistry(service: "flotilla-bench", version: "0")
        let pool = PostgresPool(configuration: producer.configuration.database, metrics: metrics, logger: logger)
        let redis = RedisClient(configuration: producer.configuration.redis, metrics: metrics, logger: logger)
        for service in [producer, consumer] {
            try await pool.query("DROP SCHEMA IF EXISTS \(service.configuration.database.schema) CASCADE")
        }
        let prefix = producer.configuration.events.streamPrefix
        try await redis.send("DEL", prefix + "events:benchsource", prefix + "dead:benchsink")
        await pool.close()
        await redis.close()
    }
}

/// Events the bench's handler saw, and their latencies.
final class HandledEvents: Sendable {
    private let state = Mutex<(count: Int, latencies: LatencyRecorder)>((0, LatencyRecorder()))

    /// Count one event, and its latency when known.
    func record(_ latency: Duration?) {
        state.withLock {
            $0.count += 1
            if let latency { $0.latencies.record(latency) }
        }
    }

    var count: Int { state.withLock { $0.count } }
    var latencies: LatencyRecorder { state.withLock { $0.latencies } }

    func reset() {
        state.withLock { $0 = (0, LatencyRecorder()) }
    }
}

/// A counter the producer tasks share.
final class SharedCounter: Sendable {
    private let counter = Atomic<Int>(0)

    /// Add one; the new value.
    @discardableResult
    func increment() -> Int { counter.wrappingAdd(1, ordering: .relaxed).newValue }

    var value: Int { counter.load(ordering: .relaxed) }

    /// Add one if the value is below `limit`; the value before (nil when it was not below).
    func claim(below limit: Int) -> Int? {
        var current = counter.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = counter.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return current }
            current = original
        }
        return nil
    }
}
