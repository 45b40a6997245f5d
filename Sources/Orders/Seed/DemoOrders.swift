import FlotillaKit
import Logging

/// The demo orders (`Resources/demo-orders.txt`: 30 one-line orders for the demo customers,
/// chosen so that some customers are Gold, some Silver and the rest Bronze), loaded by
/// `orders seed`; existing ids are left alone. They are inserted directly, without a
/// checkout, so seeding does not touch the catalog's stock.
enum DemoOrders {
    @Sendable static func seed(_ pool: PostgresPool, _ logger: Logger) async throws -> String {
        var inserted = 0
        let lines = EmbeddedText.demoOrders.split(separator: "\n").filter { !$0.hasPrefix("#") }
        for line in lines {
            let fields = line.split(separator: "|").map(String.init)
            guard fields.count == 6, let quantity = Int(fields[4]), let unitPrice = Money(fields[5]) else { throw DemoDataError(line: String(line)) }
            let total = unitPrice * quantity
            let created = try await pool.withTransaction { session -> Bool in
                let rows = try await session.query(
                    """
                    INSERT INTO orders (id, customer_id, status, total, payment_method, shipping_address, created_by)
                    VALUES ($1, $2, $3, $4, 'card', '{"city": "Geneva"}', 'seed') ON CONFLICT (id) DO NOTHING RETURNING id
                    """,
                    [fields[0], fields[1], fields[2], total]).rows
                guard !rows.isEmpty else { return false }
                try await session.query(
                    "INSERT INTO order_items (order_id, line, product_id, quantity, unit_price, line_total) VALUES ($1, 1, $2, $3, $4, $5)",
                    [fields[0], fields[3], quantity, unitPrice, total])
                return true
            }
            if created { inserted += 1 }
        }
        return "\(inserted) of \(lines.count) demo orders inserted"
    }
}

/// A malformed line in the demo data (a build-time resource, so a bug in the repository).
struct DemoDataError: Error, CustomStringConvertible {
    let line: String
    var description: String { "malformed demo order line: \(line)" }
}
