import FlotillaLoad
import Foundation

/// One target's figures in `flotilla bench gateway`, and the report with the ratios the
/// gateway is held to. The targets are measured in interleaved rounds; a target's figures
/// are those of its median round (by full-load throughput), and `roundRates` keeps every
/// round's throughput so ratios can be taken round by round.
struct GatewayBenchResult: Codable {
    /// What one round measured for one target.
    struct Round {
        let full: ReferenceTools.Figures
        let light: ReferenceTools.Figures
        let cost: CPUCost?
    }

    let name: String
    /// At the throughput connection count.
    let full: ReferenceTools.Figures
    /// At the light-load connection count.
    let light: ReferenceTools.Figures
    /// CPU per request of the full-load run.
    let cost: CPUCost?
    /// Full-load requests per second of each round, in the order the rounds ran.
    let roundRates: [Double]

    /// The median of `rounds` (at least one) by full-load throughput.
    init(name: String, rounds: [Round]) {
        let rates = rounds.map(\.full.operationsPerSecond)
        let median = rounds[RoundMedian.round(of: rates) ?? 0]
        self.name = name
        full = median.full
        light = median.light
        cost = median.cost
        roundRates = rates
    }

    /// This target's throughput over `other`'s, round by round.
    func throughputRatios(over other: GatewayBenchResult) -> [Double] {
        zip(roundRates, other.roundRates).map { $0 / $1 }
    }

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
        if results.count >= 3 {
            func ratios(_ top: GatewayBenchResult, _ bottom: GatewayBenchResult) -> String {
                let each = top.throughputRatios(over: bottom)
                return format(RoundMedian.of(each), 2) + (each.count > 1 ? " (rounds: \(each.map { format($0, 2) }.joined(separator: " ")))" : "")
            }
            let rounds = results[0].roundRates.count
            lines += [
                "", "(b)/(a) throughput: \(ratios(results[1], results[0]))", "(b)/(c) throughput: \(ratios(results[1], results[2]))",
            ]
            if results.count > 3 {
                lines += [
                    "(d)/(c) throughput, the framework and client alone: \(ratios(results[3], results[2]))",
                    "(b)/(d) throughput, what the gateway's middleware and policies leave: \(ratios(results[1], results[3]))",
                ]
            }
            lines += [
                BenchTarget.table(BenchTarget.gatewayTargets(results)),
                "(\(rounds) interleaved round\(rounds == 1 ? "" : "s") of \(seconds) s runs with wrk; each row is its target's median round, each ratio the median of the rounds' ratios;",
                " light load = \(lightConnections) connections, closed loop; the gateway logs at warning, nginx has access_log off;",
                " CPU figures are for the full-load run: the proxy process with its workers, the upstream's process, and the machine's busy cores)",
            ]
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double?, _ decimals: Int) -> String {
        TextTable.format(value, decimals)
    }
}
