import Foundation

/// One target's figures in `flotilla bench gateway`, and the report with the ratios the
/// gateway is held to.
struct GatewayBenchResult: Codable {
    let name: String
    /// At the throughput connection count.
    let full: ReferenceTools.Figures
    /// At the light-load connection count.
    let light: ReferenceTools.Figures
    /// CPU per request of the full-load run.
    let cost: CPUCost?

    static func report(_ results: [GatewayBenchResult], connections: Int, lightConnections: Int, seconds: Int) -> String {
        let header = [
            "target", "req/s @\(connections)", "p50 ms", "p99 ms", "req/s @\(lightConnections)", "p50 ms", "p99 ms",
            "proxy CPU µs/req", "upstream CPU µs/req", "busy cores",
        ]
        let rows = results.map { result in
            [
                result.name, format(result.full.operationsPerSecond, 0), format(result.full.percentiles[50], 3), format(result.full.percentiles[99], 3),
                format(result.light.operationsPerSecond, 0), format(result.light.percentiles[50], 3), format(result.light.percentiles[99], 3),
                format(result.cost?.proxyMicroseconds, 1), format(result.cost?.upstreamMicroseconds, 1), format(result.cost?.busyCores, 2),
            ]
        }
        var lines = [TextTable.render(header, rows)]
        if results.count == 3 {
            let versusDirect = results[1].full.operationsPerSecond / results[0].full.operationsPerSecond
            lines += [
                "", "(b)/(a) throughput: \(format(versusDirect, 2))", BenchTarget.table(BenchTarget.gatewayTargets(results)),
                "(\(seconds) s per run with wrk; light load = \(lightConnections) connections, closed loop; the gateway logs at warning, nginx has access_log off;",
                " CPU figures are for the full-load run: the proxy process with its workers, the upstream's process, and the machine's busy cores)",
            ]
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double?, _ decimals: Int) -> String {
        TextTable.format(value, decimals)
    }
}
