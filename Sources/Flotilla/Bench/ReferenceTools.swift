import FlotillaKitTesting
import Foundation

/// Runs `pgbench` and `redis-benchmark` against the same servers and reads their figures.
enum ReferenceTools {
    struct Figures: Codable {
        let operationsPerSecond: Double
        let averageMilliseconds: Double
        /// Latency percentiles in milliseconds (wrk's `--latency`: 50, 75, 90, 99).
        var percentiles: [Int: Double] = [:]
    }

    /// `pgbench` with a one-statement `script` for `seconds` at `clients` connections, after
    /// running `setup` (SQL, with `psql`) when given.
    static func pgbench(url: String, script: String, clients: Int, seconds: Int, setup: String? = nil) throws -> Figures {
        if let setup { _ = try run("psql", ["-v", "ON_ERROR_STOP=1", "-q", "-c", setup, url]) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-bench-\(UUID().uuidString).sql")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try run("pgbench", ["-n", "-M", "extended", "-f", file.path, "-c", String(clients), "-j", String(min(clients, 2)), "-T", String(seconds), url])
        guard let tps = number(after: "tps = ", in: output), let latency = number(after: "latency average = ", in: output) else {
            throw BenchFailure("could not read pgbench output:\n\(output)")
        }
        return Figures(operationsPerSecond: tps, averageMilliseconds: latency)
    }

    /// `redis-benchmark -t test` with `clients` connections and `requests` requests.
    static func redisBenchmark(host: String, port: Int, password: String?, test: String, clients: Int, requests: Int) throws -> Figures {
        var arguments = ["-h", host, "-p", String(port), "-c", String(clients), "-n", String(requests), "-t", test, "--csv"]
        if let password { arguments += ["-a", password] }
        let output = try run("redis-benchmark", arguments)
        // "test","rps","avg_latency_ms",...  then  "GET","98039.22","0.287",...
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("\"\(test.uppercased())") }) else {
            throw BenchFailure("could not read redis-benchmark output:\n\(output)")
        }
        let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        guard fields.count >= 3, let rps = Double(fields[1]), let average = Double(fields[2]) else {
            throw BenchFailure("unexpected redis-benchmark line: \(line)")
        }
        return Figures(operationsPerSecond: rps, averageMilliseconds: average)
    }

    /// `redis-benchmark` running one arbitrary `command` (`XADD stream * f v`) `requests` times
    /// over `clients` connections.
    static func redisBenchmark(host: String, port: Int, password: String?, command: [String], clients: Int, requests: Int) throws -> Figures {
        var arguments = ["-h", host, "-p", String(port), "-c", String(clients), "-n", String(requests), "--csv"]
        if let password { arguments += ["-a", password] }
        let output = try run("redis-benchmark", arguments + command)
        // A header line, then one line for the command: "XADD …","rps","avg_latency_ms",…
        guard let line = output.split(separator: "\n").dropFirst().first(where: { $0.hasPrefix("\"") }) else {
            throw BenchFailure("could not read redis-benchmark output:\n\(output)")
        }
        let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        // The last seven fields are the figures (the command itself may hold commas).
        guard fields.count >= 8, let rps = Double(fields[fields.count - 7]), let average = Double(fields[fields.count - 6]) else {
            throw BenchFailure("unexpected redis-benchmark line: \(line)")
        }
        return Figures(operationsPerSecond: rps, averageMilliseconds: average)
    }

    /// `wrk` with `connections` connections (and up to 2 threads) for `seconds`; every
    /// request carries `headers` (`Name: value`); `script` is a wrk Lua script that makes the
    /// requests. Non-2xx answers fail the run.
    static func wrk(url: String, connections: Int, seconds: Int, headers: [String] = [], script: String? = nil) throws -> Figures {
        let arguments = ["-t", String(min(connections, 2)), "-c", String(connections), "-d", "\(seconds)s", "--latency"]
            + headers.flatMap { ["-H", $0] } + (script.map { ["-s", $0] } ?? []) + [url]
        let output = try run("wrk", arguments)
        guard let rate = number(after: "Requests/sec:", in: output),
            let latency = wrkLineMilliseconds(output, label: "Latency")
        else { throw BenchFailure("could not read wrk output:\n\(output)") }
        if output.contains("Non-2xx or 3xx responses") { throw BenchFailure("wrk saw error answers from \(url):\n\(output)") }
        var percentiles = [Int: Double]()
        for percentile in [50, 75, 90, 99] {
            percentiles[percentile] = wrkLineMilliseconds(output, label: "\(percentile)%")
        }
        return Figures(operationsPerSecond: rate, averageMilliseconds: latency, percentiles: percentiles)
    }

    /// ``wrk(url:connections:seconds:headers:script:)`` on a Dispatch thread, leaving Swift's
    /// cooperative pool (two threads here) to the fleet's supervisors.
    static func wrkOffThePool(url: String, connections: Int, seconds: Int, headers: [String] = [], script: String? = nil) async throws -> Figures {
        try await BlockingWork.run { try wrk(url: url, connections: connections, seconds: seconds, headers: headers, script: script) }
    }

    /// "    Latency   412.33us  ..." or "     99%    1.20ms" → the value in milliseconds.
    private static func wrkLineMilliseconds(_ output: String, label: String) -> Double? {
        guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }) else { return nil }
        let fields = line.split(separator: " ")
        guard fields.count >= 2 else { return nil }
        let text = String(fields[1])
        let units: [(String, Double)] = [("us", 0.001), ("ms", 1), ("s", 1000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let (status, output) = try ChildProcess.run(tool, arguments)
        guard status == 0 else { throw BenchFailure("\(tool) failed:\n\(output)") }
        return output
    }

    private static func number(after prefix: String, in text: String) -> Double? {
        guard let range = text.range(of: prefix) else { return nil }
        return Double(text[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber || $0 == "." })
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
