import ArgumentParser
import FlotillaKit
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// `flotilla bench events`: the event bus end to end in one process — a producer's outbox and
/// relay, a consumer group with its idempotent handler — on the real PostgreSQL and Redis.
/// Commit → handler latency at a steady rate; the highest rate sustained (rates doubling while
/// the backlog clears within a second); `redis-benchmark` XADD beside it as the ceiling.
struct EventsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Benchmark the event bus: commit-to-handler latency and sustained rate, beside redis-benchmark XADD."
    )

    @OptionGroup var datastores: DatastoreOptions

    @Option(help: "Seconds each phase runs (1-60).")
    var seconds: Int = 5

    @Option(help: "Events per second of the steady phase (1-20000).")
    var rate: Int = 500

    @Option(help: "Concurrent producers committing the steady phase's events (1-256).")
    var producers: Int = 32

    @Option(help: "Concurrent producers in the rate search, each committing the events due together, up to 50 (1-256).")
    var searchProducers: Int = 2

    func run() async throws {
        let (databaseURL, redisURL) = try datastores.resolved()
        guard let redis = RedisConfiguration(url: redisURL) else { throw ValidationError("--redis-url is not a redis:// URL") }
        guard (1...60).contains(seconds), (1...20_000).contains(rate), (1...256).contains(producers), (1...256).contains(searchProducers) else {
            throw ValidationError("--seconds 1-60, --rate 1-20000, --producers 1-256, --search-producers 1-256")
        }
        let signals = TerminationSignals()
        let bench = try EventsBench(databaseURL: databaseURL, redisURL: redisURL, producers: producers, searchProducers: searchProducers)
        let running = Task { try await bench.run(rate: rate, seconds: seconds) }
        // Ctrl-C or SIGTERM cancels the run, which stops its services and drops what it made.
        Task {
            _ = await signals.wait()
            running.cancel()
        }
        let results: EventsBenchResults
        do {
            results = try await running.value
        } catch where signals.received != nil {
            throw BenchFailure("interrupted; the scratch schemas and streams are dropped")
        }
        // The best of three runs: the ceiling is what Redis does when this machine lets it.
        let ceiling = try (0..<3).map { _ in
            try ReferenceTools.redisBenchmark(
                host: redis.host, port: redis.port, password: redis.password,
                command: ["XADD", "flotilla:bench:xadd", "MAXLEN", "~", "100000", "*", "event", String(repeating: "e", count: 400)],
                clients: Self.referenceClients, requests: max(10_000, results.sustainedPerSecond.isFinite ? Int(results.sustainedPerSecond) * 10 : 10_000))
        }.max { $0.operationsPerSecond < $1.operationsPerSecond }!
        print(results.table(ceiling: ceiling, rate: rate, producers: producers, searchProducers: searchProducers))
    }

    /// `redis-benchmark`'s own default: the ceiling does not move with `--producers`.
    static let referenceClients = 50
}

/// What the two phases measured.
struct EventsBenchResults {
    let steady: LatencyRecorder
    let steadyEventsPerCommit: Double
    let sustainedPerSecond: Double
    let sustainedEventsPerCommit: Double
    let lagAtEnd: Int
    /// How late the producers of that rate finished (sustained needs under half a second).
    let lateAtEnd: Duration
    /// Each rate searched and its runs (✓ sustained, ✗ not).
    let tries: [String]
    /// Events a second the relay and consumer drained from a backlog, no producers running.
    let drainPerSecond: Double

    func table(ceiling: ReferenceTools.Figures, rate: Int, producers: Int, searchProducers: Int) -> String {
        let ratio = sustainedPerSecond / ceiling.operationsPerSecond
        return TextTable.render(["measurement", "flotilla", "reference", "target", "verdict"], [
            ["commit → handler p50 at \(rate)/s, \(producers) producers", TextTable.format(steady.milliseconds(at: 0.5), 2) + " ms", "", "", ""],
            ["commit → handler p99 at \(rate)/s, \(producers) producers", TextTable.format(steady.milliseconds(at: 0.99), 2) + " ms", "", "< 50 ms", steady.milliseconds(at: 0.99) < 50 ? "met" : "missed"],
            ["highest sustained events/s (doubling from \(rate), then up to four halvings of the gap), \(searchProducers) producers", TextTable.format(sustainedPerSecond, 0), "XADD \(TextTable.format(ceiling.operationsPerSecond, 0))/s (\(EventsBenchCommand.referenceClients) clients, best of 3)",
             "≥ 25% of XADD", TextTable.format(ratio * 100, 1) + "% " + (ratio >= 0.25 ? "met" : "missed")],
            ["relay + consumer draining \(EventsBench.drainBacklog) events committed before they started (no producers)", TextTable.format(drainPerSecond, 0),
             "", "", TextTable.format(drainPerSecond / ceiling.operationsPerSecond * 100, 1) + "% of XADD"],
            ["rates searched (✓ sustained, ✗ not; a rate fails on two misses in a row)", tries.joined(separator: ", "), "", "", ""],
            ["first rate not sustained: lag when producers stopped; how late they finished (< 0.5 s to sustain)",
             "\(lagAtEnd) events; " + TextTable.format(lateAtEnd / .seconds(1), 2) + " s", "", "", ""],
            ["events per producer commit: steady, highest sustained", TextTable.format(steadyEventsPerCommit, 2) + ", " + TextTable.format(sustainedEventsPerCommit, 2), "", "", ""],
        ])
    }
}
