import Foundation

/// One target's figures in `flotilla bench gateway`, and the report with the ratios the
/// gateway is held to.
struct GatewayBenchResult {
    let name: String
    /// At the throughput connection count.
    let full: ReferenceTools.Figures
    /// At the light-load connection count.
    let light: ReferenceTools.Figures

    static func report(_ results: [GatewayBenchResult], connections: Int, lightConnections: Int, seconds: Int) -> String {
        let header = ["target", "req/s @\(connections)", "p50 ms", "p99 ms", "req/s @\(lightConnections)", "p50 ms", "p99 ms"]
        let rows = results.map { result in
            [
                result.name, format(result.full.operationsPerSecond, 0), format(result.full.percentiles[50], 3), format(result.full.percentiles[99], 3),
                format(result.light.operationsPerSecond, 0), format(result.light.percentiles[50], 3), format(result.light.percentiles[99], 3),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        var lines = [line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)
        if results.count == 3 {
            let (direct, gateway, nginx) = (results[0], results[1], results[2])
            let versusDirect = gateway.full.operationsPerSecond / direct.full.operationsPerSecond
            let versusNginx = gateway.full.operationsPerSecond / nginx.full.operationsPerSecond
            let addedP50 = (gateway.light.percentiles[50] ?? .nan) - (direct.light.percentiles[50] ?? .nan)
            let addedP99 = (gateway.light.percentiles[99] ?? .nan) - (direct.light.percentiles[99] ?? .nan)
            lines += [
                "",
                "(b)/(a) throughput: \(format(versusDirect, 2))",
                "(b)/(c) throughput: \(format(versusNginx, 2))  (target >= 0.50: \(versusNginx >= 0.5 ? "met" : "NOT met"))",
                "gateway adds at light load: p50 +\(format(addedP50, 3)) ms (target < 1: \(addedP50 < 1 ? "met" : "NOT met")), "
                    + "p99 +\(format(addedP99, 3)) ms (target < 3: \(addedP99 < 3 ? "met" : "NOT met"))",
                "(\(seconds) s per run with wrk; light load = \(lightConnections) connections, closed loop; the gateway logs at warning, nginx has access_log off)",
            ]
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double?, _ decimals: Int) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: "%.\(decimals)f", value)
    }
}
