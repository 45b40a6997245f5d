import FlotillaKit
import Logging

/// The demo catalogue (`Resources/demo-products.txt`: 53 watches, 18 brands, the three
/// categories), loaded by `catalog seed`. Existing ids are left alone, so it can run again.
enum DemoProducts {
    @Sendable static func seed(_ pool: PostgresPool, _ logger: Logger) async throws -> String {
        var inserted = 0
        let lines = EmbeddedText.demoProducts.split(separator: "\n").filter { !$0.hasPrefix("#") }
        for line in lines {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 13, let price = Money(fields[4]), let stock = Int(fields[5]),
                let diameter = Int(fields[8]), let waterResistance = Int(fields[9]), let year = Int(fields[10]), let warranty = Int(fields[12])
            else { throw DemoDataError(line: String(line)) }
            let metadata: [String: JSONValue] = [
                "movement": .string(fields[6]), "case_material": .string(fields[7]), "diameter_mm": .int(diameter),
                "water_resistance_m": .int(waterResistance), "year": .int(year), "condition": .string(fields[11]),
                "warranty_years": .int(warranty),
            ]
            let result = try await pool.query(
                """
                INSERT INTO products (id, name, brand, category, price, stock, metadata)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id
                """,
                [fields[0], fields[1], fields[2], fields[3], price, stock, PostgresJSON(metadata)])
            inserted += result.rows.count
        }
        return "\(inserted) of \(lines.count) demo products inserted"
    }
}

/// A malformed line in the demo data (a build-time resource, so a bug in the repository).
struct DemoDataError: Error, CustomStringConvertible {
    let line: String
    var description: String { "malformed demo product line: \(line)" }
}
