import FlotillaKit
import Logging

/// The demo customers (`Resources/demo-customers.txt`: 20 across the four stored tiers),
/// loaded by `customers seed`; existing ids are left alone. Their VIP tiers come from the
/// orders the orders service's seed places for them.
enum DemoCustomers {
    @Sendable static func seed(_ pool: PostgresPool, _ logger: Logger) async throws -> String {
        var inserted = 0
        let lines = EmbeddedText.demoCustomers.split(separator: "\n").filter { !$0.hasPrefix("#") }
        for line in lines {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6 else { throw DemoDataError(line: String(line)) }
            let address: [String: JSONValue] = ["city": .string(fields[5])]
            let result = try await pool.query(
                """
                INSERT INTO customers (id, email, name, tier, phone, address) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT DO NOTHING RETURNING id
                """,
                [fields[0], fields[1], fields[2], fields[3], fields[4], PostgresJSON(address)])
            inserted += result.rows.count
        }
        return "\(inserted) of \(lines.count) demo customers inserted"
    }
}

/// A malformed line in the demo data (a build-time resource, so a bug in the repository).
struct DemoDataError: Error, CustomStringConvertible {
    let line: String
    var description: String { "malformed demo customer line: \(line)" }
}
