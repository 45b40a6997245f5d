import ArgumentParser
import FlotillaKit
import FlotillaKitTesting
import FlotillaLoad
import Foundation

/// `flotilla bench peers`: the catalog's Redis-cached `GET /products/{id}` and its paged,
/// filtered list with the total, beside the same two routes in FastAPI (uvicorn, 2 workers,
/// asyncpg, redis.asyncio) and Django REST Framework (gunicorn gthread), all against the same
/// PostgreSQL schema, Redis and rows (the watch-store fleet's), with `wrk` in interleaved rounds.
/// The peers' code is in `bench/peers/`; `scripts/bench peers` installs them into a venv.
struct PeersBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peers",
        abstract: "Benchmark the catalog's reads beside FastAPI and Django REST Framework on the same data."
    )

    @Option(help: "The directory holding the peers' uvicorn and gunicorn (a venv's bin).")
    var pythonBin: String

    @Option(help: "Seconds each wrk run lasts (1-60).")
    var seconds: Int = 8

    @Option(help: "wrk connections (1-1024).")
    var connections: Int = 64

    @Option(help: "Interleaved rounds; each figure is its median round (1-9).")
    var rounds: Int = 3

    func run() async throws {
        guard (1...60).contains(seconds), (1...1024).contains(connections), (1...9).contains(rounds) else {
            throw ValidationError("--seconds 1-60, --connections 1-1024, --rounds 1-9")
        }
        guard let repository = FleetEnvironment.findRepository() else { throw BenchFailure("run inside the repository (the peers are in bench/peers)") }
        let peers = repository.appendingPathComponent("bench/peers").path
        let rows = try await BenchFleet.with(.chronos) { fleet in
            let environment = ["DATABASE_URL": fleet.postgres.url, "DB_SCHEMA": "catalog", "REDIS_URL": fleet.redis.url]
            let (fastAPIPort, djangoPort) = (try FreePort.allocate(), try FreePort.allocate())
            let servers = [
                try BenchServers.spawn(pythonBin + "/uvicorn", [
                    "fastapi_app:app", "--app-dir", peers, "--workers", "2", "--host", "127.0.0.1", "--port", String(fastAPIPort),
                    "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
                ], environment: environment),
                try BenchServers.spawn(pythonBin + "/gunicorn", [
                    "drf_app:application", "--chdir", peers, "-k", "gthread", "--workers", "2", "--threads", "8",
                    "-b", "127.0.0.1:\(djangoPort)", "--log-level", "warning", "--graceful-timeout", "2",
                ], environment: environment),
            ]
            defer { for server in servers { Self.stop(server) } }
            let targets = [("flotilla (Swift)", fleet.url(of: "catalog")), ("FastAPI", "http://127.0.0.1:\(fastAPIPort)"), ("Django REST Framework", "http://127.0.0.1:\(djangoPort)")]
            for (_, base) in targets { try await BenchServers.waitForAnswer(base + Self.routes[0].path, ceiling: .seconds(120)) }
            let reads = try await measure(targets)
            let tails = try await tailsAtFastAPIsRate(reads, ours: targets[0].1, fastAPI: targets[1].1)
            return (reads, tails, try await measureWrites(fleet))
        }
        print(Self.table(rows.0))
        print()
        print(rows.1)
        print()
        print(rows.2)
    }

    /// Each route at FastAPI's top rate, open loop (latency from each request's scheduled
    /// start): the Swift service's p99 beside FastAPI's (target: at most a third).
    private func tailsAtFastAPIsRate(_ reads: [Row], ours: String, fastAPI: String) async throws -> String {
        var lines = [[String]]()
        for route in Self.routes {
            guard let rate = reads.first(where: { $0.route == route.name && $0.server == "FastAPI" })?.requestsPerSecond, rate.isFinite else { continue }
            var results = [LoadRun.Result]()
            for base in [ours, fastAPI] {
                results.append(try await LoadRun(
                    baseURL: base, scenario: .single(name: route.name, path: route.path), rate: rate, duration: .seconds(seconds),
                    warmUp: .seconds(1), connections: connections, token: nil, timeout: .seconds(10)
                ).run())
            }
            // The generator shares the machine: when it could not offer the rate in full to the
            // Swift service (or requests failed) there is no verdict. When it could, and FastAPI
            // fell behind at its own closed-loop top rate, the generator was not the bound:
            // FastAPI's p99 (capped by the timeout) is a floor, so the ratio is a ceiling.
            func isComplete(_ result: LoadRun.Result) -> Bool { result.errors == 0 && result.achievedRate >= 0.95 * rate }
            let ratio = results[0].latency.p99 / results[1].latency.p99
            let verdict = !isComplete(results[0])
                ? "not measured (load not offered in full)"
                : (ratio <= 1.0 / 3 ? "met" : "missed") + (isComplete(results[1]) ? "" : " (FastAPI fell behind; its p99 is a floor)")
            lines.append([
                route.name, TextTable.format(rate, 0), results.map { TextTable.format($0.achievedRate, 0) }.joined(separator: " / "),
                results.map { String($0.errors) }.joined(separator: " / "), TextTable.format(results[0].latency.p99, 2), TextTable.format(results[1].latency.p99, 2),
                TextTable.format(ratio, 2), "≤ 0.33", verdict,
            ])
        }
        return TextTable.render(
            ["route at FastAPI's top rate", "req/s offered", "achieved (flotilla / FastAPI)", "errors", "flotilla p99 ms", "FastAPI p99 ms", "ratio", "target", "verdict"],
            lines)
    }

    /// Product creation through the catalog (JWT, validation, `INSERT … RETURNING`) beside
    /// `pgbench` running the same statement: the short write's cost over the database's own.
    private func measureWrites(_ fleet: BenchFleet) async throws -> String {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-peers-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let script = work.appendingPathComponent("create-products.lua")
        try Self.createProductsLua.write(to: script, atomically: true, encoding: .utf8)
        let bearer = "Authorization: Bearer \(try await fleet.devToken())"
        let created = try await ReferenceTools.wrkOffThePool(
            url: fleet.url(of: "catalog") + "/products", connections: connections, seconds: seconds, headers: [bearer], script: script.path)
        let insert = try await BlockingWork.run { [connections, seconds] in
            try ReferenceTools.pgbench(url: fleet.postgres.url, script: Self.createProductSQL, clients: connections, seconds: seconds)
        }
        let ratio = created.operationsPerSecond / insert.operationsPerSecond
        return TextTable.render(["write", "req/s", "p99 ms", "pgbench tps (same INSERT)", "flotilla ÷ pgbench", "target", "verdict"], [[
            "POST /products (JWT, validation, INSERT … RETURNING)", TextTable.format(created.operationsPerSecond, 0), TextTable.format(created.percentiles[99], 2),
            TextTable.format(insert.operationsPerSecond, 0), TextTable.format(ratio, 2), "≥ 0.3", ratio >= 0.3 ? "met" : "missed",
        ]])
    }

    /// wrk: each request creates a product of its own id (thread and counter).
    static let createProductsLua = """
        local counter = 0
        local threads = 0
        local headers = {}
        function setup(thread) threads = threads + 1; thread:set("tid", threads) end
        function init(args)
            for name, value in pairs(wrk.headers) do headers[name] = value end
            headers["Content-Type"] = "application/json"
        end
        function request()
            counter = counter + 1
            local body = string.format('{"id":"wrk_%d_%d","name":"Bench Watch","brand":"Flotilla","category":"sport","price":"1234.50","stock":5,"metadata":{"movement":"automatic","diameter":41}}', tid, counter)
            return wrk.format("POST", "/products", headers, body)
        end
        """

    /// pgbench: the catalog's INSERT, each row a fresh id.
    static let createProductSQL = """
        INSERT INTO catalog.products (id, name, brand, category, price, stock, metadata) VALUES (gen_random_uuid()::text, 'Bench Watch', 'Flotilla', 'sport', 1234.50, 5, '{"movement": "automatic", "diameter": 41}') RETURNING id, name, brand, category, price, stock, metadata, created_at, updated_at;

        """

    /// SIGTERM, then SIGKILL if the server is still there after 10 s (a Django worker can hang
    /// on its pool's threads and outlive its master).
    static func stop(_ server: Process) {
        server.terminate()
        let deadline = ContinuousClock.now + .seconds(10)
        while server.isRunning, ContinuousClock.now < deadline { usleep(50_000) }
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
    }

    /// The two routes measured.
    static let routes = [
        (name: "cached GET /products/{id}", path: "/products/prod_001"),
        (name: "list ?category&sort&limit (with total)", path: "/products?category=sport&sort=price&limit=10"),
    ]

    /// One route on one server: the median round's figures.
    struct Row {
        let route: String
        let server: String
        let requestsPerSecond: Double
        let p99Milliseconds: Double?
    }

    /// Each round runs every route on every server in turn, so drift hits all alike.
    private func measure(_ targets: [(String, String)]) async throws -> [Row] {
        var figures = [String: [ReferenceTools.Figures]]()
        for (_, base) in targets {
            for route in Self.routes { _ = try await ReferenceTools.wrkOffThePool(url: base + route.path, connections: connections, seconds: 1) }
        }
        for _ in 0..<rounds {
            for route in Self.routes {
                for (server, base) in targets {
                    let measured = try await ReferenceTools.wrkOffThePool(url: base + route.path, connections: connections, seconds: seconds)
                    figures[route.name + "|" + server, default: []].append(measured)
                }
            }
        }
        return Self.routes.flatMap { route in
            targets.map { (server, _) in
                let rounds = figures[route.name + "|" + server] ?? []
                let median = RoundMedian.round(of: rounds.map(\.operationsPerSecond)).map { rounds[$0] }
                return Row(route: route.name, server: server, requestsPerSecond: median?.operationsPerSecond ?? .nan, p99Milliseconds: median?.percentiles[99])
            }
        }
    }

    /// Each route's servers, with the Swift service's ratio to each peer and the target
    /// (≥ 3× FastAPI).
    static func table(_ rows: [Row]) -> String {
        var lines = [[String]]()
        for route in routes {
            let ours = rows.first { $0.route == route.name && $0.server.hasPrefix("flotilla") }
            for row in rows where row.route == route.name {
                let ratio = ours.map { $0.requestsPerSecond / row.requestsPerSecond }
                let isFastAPI = row.server == "FastAPI"
                lines.append([
                    route.name, row.server, TextTable.format(row.requestsPerSecond, 0), TextTable.format(row.p99Milliseconds, 2),
                    row.server.hasPrefix("flotilla") ? "" : TextTable.format(ratio, 2) + "×",
                    isFastAPI ? "≥ 3×" : "", isFastAPI ? ((ratio ?? 0) >= 3 ? "met" : "missed") : "",
                ])
            }
        }
        return TextTable.render(["route", "server", "req/s", "p99 ms", "flotilla ÷ this", "target", "verdict"], lines)
    }
}
