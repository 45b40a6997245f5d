import Foundation

/// One line of the benchmark table.
struct BenchRow {
    let operation: String
    let callers: Int
    let flotilla: LatencyRecorder
    let seconds: Int
    let reference: ReferenceTools.Figures
    let referenceName: String

    var operationsPerSecond: Double { Double(flotilla.count) / Double(seconds) }

    static func table(_ rows: [BenchRow]) -> String {
        let header = ["operation", "callers", "flotilla ops/s", "avg ms", "p50 ms", "p99 ms", "reference", "ref ops/s", "ref avg ms", "ops ratio"]
        let body = rows.map { row in
            [
                row.operation, String(row.callers), format(row.operationsPerSecond, 0), format(row.flotilla.averageMilliseconds, 3),
                format(row.flotilla.milliseconds(at: 0.5), 3), format(row.flotilla.milliseconds(at: 0.99), 3), row.referenceName,
                format(row.reference.operationsPerSecond, 0), format(row.reference.averageMilliseconds, 3),
                format(row.operationsPerSecond / row.reference.operationsPerSecond, 2),
            ]
        }
        return TextTable.render(header, body)
    }

    private static func format(_ value: Double, _ decimals: Int) -> String {
        TextTable.format(value, decimals)
    }
}
