import Foundation

/// One sitting of the whole benchmark: every section's figures, the targets checked against
/// them, and the machine they were measured on. Written as
/// `bench/results/<date>-<commit>.json` and printed as one table.
struct BenchReport: Codable {
    /// UTC, ISO 8601.
    let date: String
    let commit: String
    /// `full` (what is published) or `smoke` (CI's few-second run that keeps the script honest).
    let scale: String
    let machine: MachineDescription
    let throughputSettings: ThroughputSettings
    let throughput: [ThroughputBench.Row]
    let gateway: [GatewayBenchResult]
    let capacity: [CapacityBench.Result]
    let services: [ServicesBench.Row]
    let targets: [BenchTarget]

    struct ThroughputSettings: Codable {
        let connections: Int
        let seconds: Int
        let lightConnections: Int
    }

    /// The figures as text: throughput with ratios, the gateway, capacity per profile, the
    /// services, then every target with its verdict.
    var text: String {
        let settings = throughputSettings
        var sections = ["Flotilla benchmark (\(scale)) — \(date), commit \(commit)", machine.summary, ""]
        sections.append("1. Maximum throughput (wrk, \(settings.connections) connections, \(settings.seconds) s each; pgbench at the same concurrency)")
        sections += [ThroughputBench.table(throughput), ""]
        if !gateway.isEmpty {
            sections += ["Gateway overhead (issue 6)",
                         GatewayBenchResult.report(gateway, connections: settings.connections, lightConnections: settings.lightConnections, seconds: settings.seconds), ""]
        }
        sections.append("2. Latency at fixed rates (flotilla load, open loop)")
        for result in capacity { sections += [result.table, ""] }
        sections += ["3. Per service", ServicesBenchCommand.table(services), "", "Targets (ratios from the same run)", BenchTarget.table(targets)]
        return sections.joined(separator: "\n")
    }

    /// Pretty, key-sorted JSON; non-finite figures are written as strings.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// `<date>-<commit>.json`.
    var fileName: String {
        "\(date.prefix(10))-\(commit).json"
    }
}
