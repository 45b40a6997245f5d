import FlotillaKit
import FlotillaKitTesting
import Foundation

/// The maximum-throughput sitting: `wrk` against the whole fleet (release binaries, its own
/// PostgreSQL and Redis) and against reference servers on the same machine in the same run —
/// nginx `return 200`, a bare Hummingbird route, nginx `proxy_pass` — and `pgbench` with a
/// single-row insert at the same concurrency.
struct ThroughputBench {
    let seconds: Int
    let connections: Int

    /// One measured target.
    struct Row: Codable {
        let key: String
        let name: String
        let tool: String
        let requestsPerSecond: Double
        let p50Milliseconds: Double?
        let p99Milliseconds: Double?
    }

    func run() async throws -> [Row] {
        try await BenchFleet.with(.all) { try await run(against: $0) }
    }

    /// Starts the reference servers beside `fleet`, measures, and stops them.
    private func run(against fleet: BenchFleet) async throws -> [Row] {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-throughput-\(UUID().uuidString.prefix(8))")
        var children = [Process]()
        defer {
            for child in children { child.terminate() }
            try? FileManager.default.removeItem(at: work)
        }
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let barePort = try FreePort.allocate()
        children.append(try BenchServers.spawn(CommandLine.arguments[0], ["bench", "bare-server", "--port", String(barePort)], environment: [:]))
        let (nginxStaticPort, nginxProxyPort) = (try FreePort.allocate(), try FreePort.allocate())
        children.append(try BenchServers.startNginx(directory: work, http: Self.nginxServers(
            staticPort: nginxStaticPort, proxyPort: nginxProxyPort, upstreamPort: fleet.environment.port(of: "catalog"))))
        return try await measure(fleet, bare: "http://127.0.0.1:\(barePort)",
                                 nginxStatic: "http://127.0.0.1:\(nginxStaticPort)", nginxProxy: "http://127.0.0.1:\(nginxProxyPort)", work: work)
    }

    /// The rows as a text table.
    static func table(_ rows: [Row]) -> String {
        TextTable.render(["target", "req/s", "p50 ms", "p99 ms"], rows.map { row in
            [row.name, TextTable.format(row.requestsPerSecond, 0), TextTable.format(row.p50Milliseconds, 3), TextTable.format(row.p99Milliseconds, 3)]
        })
    }

    private func measure(_ fleet: BenchFleet, bare: String, nginxStatic: String, nginxProxy: String, work: URL) async throws -> [Row] {
        let token = try await fleet.devToken()
        let bearer = "Authorization: Bearer \(token)"
        let (catalog, habits, gateway) = (fleet.url(of: "catalog"), fleet.url(of: "habits"), fleet.url(of: "gateway"))
        try await BenchServers.waitForAnswer(bare + "/live")
        try await BenchServers.waitForAnswer(nginxStatic + "/")
        let product = "/products/prod_001"
        try await BenchServers.waitForAnswer(nginxProxy + product)
        let habitIDs = try await Self.createHabits(count: 96, habits: habits, token: token)
        let checkIns = try Self.checkInScript(habitIDs: habitIDs, days: 7, in: work)

        typealias Target = (key: String, name: String, url: String, headers: [String], script: String?)
        let targets: [Target] = [
            ("nginx_return_200", "nginx return 200", nginxStatic + "/", [], nil),
            ("bare_hummingbird_live", "bare Hummingbird GET /live", bare + "/live", [], nil),
            ("kit_live", "kit service GET /live (catalog)", catalog + "/live", [], nil),
            ("product_direct", "GET \(product), catalog direct (Redis-cached)", catalog + product, [], nil),
            ("product_gateway", "GET /api/v1\(product) via gateway (JWT, rate limit, cache hit)", gateway + "/api/v1" + product, [bearer], nil),
            ("product_nginx_proxy", "nginx proxy_pass → catalog GET \(product)", nginxProxy + product, [], nil),
            ("uncached_read", "GET /habits/{id}, habits direct (JWT, one SELECT)", habits + "/habits/\(habitIDs[0])", [bearer], nil),
            ("single_row_write", "PUT /habits/{id}/check-ins/{date}, habits direct (JWT, upsert)", habits + "/", [bearer], checkIns.path),
        ]
        var rows = [Row]()
        for target in targets {
            _ = try await ReferenceTools.wrkOffThePool(url: target.url, connections: connections, seconds: 1, headers: target.headers, script: target.script)
            let figures = try await ReferenceTools.wrkOffThePool(url: target.url, connections: connections, seconds: seconds, headers: target.headers, script: target.script)
            rows.append(Row(key: target.key, name: target.name, tool: "wrk", requestsPerSecond: figures.operationsPerSecond,
                            p50Milliseconds: figures.percentiles[50], p99Milliseconds: figures.percentiles[99]))
        }
        let insert = try await BlockingWork.run { [connections, seconds] in try ReferenceTools.pgbench(
            url: fleet.postgres.url, script: "\\set n random(1, 1000000)\nINSERT INTO flotilla_bench_rows (v) VALUES (:n);\n",
            clients: connections, seconds: seconds, setup: "CREATE TABLE IF NOT EXISTS flotilla_bench_rows (id bigserial PRIMARY KEY, v int NOT NULL)") }
        rows.append(Row(key: "pgbench_insert", name: "pgbench single-row INSERT", tool: "pgbench", requestsPerSecond: insert.operationsPerSecond,
                        p50Milliseconds: nil, p99Milliseconds: nil))
        return rows
    }

    static func nginxServers(staticPort: Int, proxyPort: Int, upstreamPort: Int) -> String {
        """
          upstream catalog { server 127.0.0.1:\(upstreamPort); keepalive 128; }
          server { listen 127.0.0.1:\(staticPort); location / { return 200 "ok\\n"; } }
          server {
            listen 127.0.0.1:\(proxyPort);
            location / { proxy_pass http://catalog; proxy_http_version 1.1; proxy_set_header Connection ""; }
          }
        """
    }

    /// `count` daily habits for the bench user (at most 100 are allowed); their ids.
    static func createHabits(count: Int, habits: String, token: String) async throws -> [String] {
        var ids = [String]()
        for number in 1...count {
            let reply = try await HTTPTestClient.send(
                "POST", habits + "/habits", headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: #"{"name": "Bench \#(number)", "timezone": "UTC"}"#)
            guard reply.status == 201, let id = (try? JSONDecoder().decode(JSONValue.self, from: Data(reply.body.utf8)))?["id"]?.stringValue else {
                throw BenchFailure("could not create a habit: \(reply.status) \(reply.body)")
            }
            ids.append(id)
        }
        return ids
    }

    /// A wrk script whose requests check in each habit on each of the last `days` days in turn.
    static func checkInScript(habitIDs: [String], days: Int, in directory: URL) throws -> URL {
        let today = Date()
        let dates = (0..<days).map { offset -> String in
            let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: today.addingTimeInterval(Double(-offset) * 86_400))
            return String(format: "%04d-%02d-%02d", components.year!, components.month!, components.day!)
        }
        // Habit-minor order: requests in flight at once go to different habits' rows.
        let paths = dates.flatMap { date in habitIDs.map { "\"/habits/\($0)/check-ins/\(date)\"" } }
        let script = directory.appendingPathComponent("check-ins.lua")
        try """
            local paths = {\(paths.joined(separator: ","))}
            local n = 0
            request = function()
              n = n + 1
              return wrk.format("PUT", paths[(n % #paths) + 1])
            end
            """.write(to: script, atomically: true, encoding: .utf8)
        return script
    }
}
