import ArgumentParser
import FlotillaKit
import Foundation
import Logging

/// `flotilla bench data`: round-trip latency and throughput of the kit's PostgreSQL pool
/// and Redis client, beside `pgbench` and `redis-benchmark` against the same servers, at
/// each caller count. Prints one table with the ratios.
struct DataBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Benchmark the PostgreSQL pool and Redis client against pgbench and redis-benchmark."
    )

    @OptionGroup var datastores: DatastoreOptions

    @Option(help: "Seconds each measurement runs (bounded: 1-60).")
    var seconds: Int = 5

    @Option(help: "Concurrent callers to measure at, comma-separated.")
    var callers: String = "1,32"

    @Option(help: "Statements each PostgreSQL connection keeps prepared (0: none, as before the cache).")
    var statementCacheSize: Int = PostgresConfiguration(url: "", applicationName: "").statementCacheSize

    func run() async throws {
        let (databaseURL, redisURL) = try datastores.resolved()
        guard var redisConfiguration = RedisConfiguration(url: redisURL) else { throw ValidationError("--redis-url is not a redis:// URL") }
        let levels = callers.split(separator: ",").compactMap { Int($0) }.filter { (1...256).contains($0) }
        guard !levels.isEmpty, (1...60).contains(seconds), (0...10_000).contains(statementCacheSize) else {
            throw ValidationError("--callers takes 1-256 each; --seconds 1-60; --statement-cache-size 0-10000")
        }

        var logging = ServiceConfiguration(identity: ServiceIdentity(name: "flotilla-bench", version: "0", defaultPort: 0))
        logging.logLevel = .warning
        let logger = Logger(configuration: logging)
        let metrics = MetricsRegistry(service: "flotilla-bench", version: "0")
        var database = PostgresConfiguration(url: databaseURL, applicationName: "flotilla-bench")
        database.maxConnections = levels.max()!
        database.minConnections = 0
        database.statementCacheSize = statementCacheSize
        let pool = PostgresPool(configuration: database, metrics: metrics, logger: logger)
        redisConfiguration.maxConnections = levels.max()!
        let redis = RedisClient(configuration: redisConfiguration, metrics: metrics, logger: logger)

        try await pool.query("CREATE SCHEMA IF NOT EXISTS flotilla_bench")
        try await pool.query("CREATE TABLE IF NOT EXISTS flotilla_bench.rows (id bigserial PRIMARY KEY, v int NOT NULL)")
        try await redis.send("SET", "flotilla:bench:key", String(repeating: "v", count: 32))

        let duration = Duration.seconds(seconds)
        var rows = [BenchRow]()
        for level in levels {
            let select = try await LatencyRecorder.measure(callers: level, for: duration) { _ in _ = try await pool.query("SELECT 1") }
            let selectReference = try ReferenceTools.pgbench(url: databaseURL, script: "SELECT 1;\n", clients: level, seconds: seconds)
            rows.append(BenchRow(operation: "postgres SELECT 1", callers: level, flotilla: select, seconds: seconds, reference: selectReference, referenceName: "pgbench"))

            // A page of rows as the event relay claims them: the answer arrives in many pieces.
            let page = "SELECT g AS id, repeat('x', 200) AS data FROM generate_series(1, 500) AS g"
            let pageRead = try await LatencyRecorder.measure(callers: level, for: duration) { _ in _ = try await pool.query(page) }
            let pageReference = try ReferenceTools.pgbench(url: databaseURL, script: "\(page);\n", clients: level, seconds: seconds)
            rows.append(BenchRow(operation: "postgres 500 rows of 200 bytes", callers: level, flotilla: pageRead, seconds: seconds, reference: pageReference, referenceName: "pgbench"))

            let insert = try await LatencyRecorder.measure(callers: level, for: duration) { n in
                _ = try await pool.query("INSERT INTO flotilla_bench.rows (v) VALUES ($1)", [n])
            }
            let insertReference = try ReferenceTools.pgbench(
                url: databaseURL, script: "\\set n random(1, 1000000)\nINSERT INTO flotilla_bench.rows (v) VALUES (:n);\n", clients: level, seconds: seconds)
            rows.append(BenchRow(operation: "postgres single-row INSERT", callers: level, flotilla: insert, seconds: seconds, reference: insertReference, referenceName: "pgbench"))

            // A short write transaction: the pool sends BEGIN with the first INSERT (3 round
            // trips); pgbench sends each statement alone (4).
            let transaction = try await LatencyRecorder.measure(callers: level, for: duration) { n in
                try await pool.withTransaction { session in
                    try await session.query("INSERT INTO flotilla_bench.rows (v) VALUES ($1)", [n])
                    try await session.query("INSERT INTO flotilla_bench.rows (v) VALUES ($1)", [n + 1])
                }
            }
            let transactionReference = try ReferenceTools.pgbench(
                url: databaseURL,
                script: "\\set n random(1, 1000000)\nBEGIN;\nINSERT INTO flotilla_bench.rows (v) VALUES (:n);\nINSERT INTO flotilla_bench.rows (v) VALUES (:n + 1);\nEND;\n",
                clients: level, seconds: seconds)
            rows.append(BenchRow(
                operation: "postgres transaction: 2 INSERTs", callers: level, flotilla: transaction, seconds: seconds,
                reference: transactionReference, referenceName: "pgbench"))

            for test in ["get", "set"] {
                let measured = try await LatencyRecorder.measure(callers: level, for: duration) { _ in
                    if test == "get" {
                        _ = try await redis.send("GET", "flotilla:bench:key")
                    } else {
                        _ = try await redis.send("SET", "flotilla:bench:key", "value")
                    }
                }
                let reference = try ReferenceTools.redisBenchmark(
                    host: redisConfiguration.host, port: redisConfiguration.port, password: redisConfiguration.password,
                    test: test, clients: level, requests: max(1000, min(measured.count * 2, 2_000_000)))
                rows.append(BenchRow(operation: "redis \(test.uppercased())", callers: level, flotilla: measured, seconds: seconds, reference: reference, referenceName: "redis-benchmark"))
            }
        }
        try await pool.query("DROP SCHEMA flotilla_bench CASCADE")
        await pool.close()
        await redis.close()
        print(BenchRow.table(rows))
    }
}
