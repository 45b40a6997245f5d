import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Orders, their lines and idempotency keys in PostgreSQL.
struct OrderRepository: Sendable {
    let pool: PostgresPool
    static let columns = "id, customer_id, status, total, payment_method, shipping_address, created_by, created_at, updated_at"

    /// What claiming an Idempotency-Key found.
    enum Claim: Sendable {
        /// The key is new and now ours: run the checkout.
        case claimed
        /// The key already produced this order: answer with it again.
        case done(orderID: String)
        /// Another request with this key is still running.
        case inProgress
        /// The key was used for a different request.
        case mismatch
    }

    func claim(principal: String, key: String, fingerprint: String) async throws -> Claim {
        let inserted = try await pool.query(
            "INSERT INTO idempotency_keys (principal, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key",
            [principal, key, fingerprint])
        if !inserted.rows.isEmpty { return .claimed }
        guard let row = try await pool.query(
            "SELECT request_hash, order_id FROM idempotency_keys WHERE principal = $1 AND key = $2", [principal, key]
        ).rows.first else { return .inProgress }
        guard try row.decode("request_hash", as: String.self) == fingerprint else { return .mismatch }
        if let orderID = try row.decode("order_id", as: String?.self) { return .done(orderID: orderID) }
        return .inProgress
    }

    /// Forget a claim whose checkout failed, so the client can retry with the same key.
    func release(principal: String, key: String) async {
        _ = try? await pool.query("DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND order_id IS NULL", [principal, key])
    }

    /// Store the order and its lines, and complete the idempotency claim, in one transaction.
    func insert(
        _ request: CheckoutRequest, lines: [OrderItem], createdBy: String, idempotency: (principal: String, key: String)
    ) async throws -> Order {
        let id = "ord_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let total = lines.reduce(Money.zero) { $0 + $1.lineTotal }
        return try await pool.withTransaction { session in
            var order = try await session.query(
                """
                INSERT INTO orders (id, customer_id, total, payment_method, shipping_address, created_by)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING \(Self.columns)
                """,
                [id, request.customerId, total, request.paymentMethod, PostgresJSON(request.shippingAddress), createdBy]
            ).decode(Order.self)[0]
            for (index, line) in lines.enumerated() {
                try await session.query(
                    "INSERT INTO order_items (order_id, line, product_id, quantity, unit_price, line_total) VALUES ($1, $2, $3, $4, $5, $6)",
                    [id, index + 1, line.productID, line.quantity, line.unitPrice, line.lineTotal])
            }
            try await session.query(
                "UPDATE idempotency_keys SET order_id = $3 WHERE principal = $1 AND key = $2", [idempotency.principal, idempotency.key, id])
            order.items = lines
            try await session.recordEvent("order.placed", aggregate: "order", id: id, actor: createdBy, data: Self.eventData(order))
            return order
        }
    }

    func find(_ id: String) async throws -> Order? {
        guard var order = try await pool.query("SELECT \(Self.columns) FROM orders WHERE id = $1", [id]).decode(Order.self).first else {
            return nil
        }
        order.items = try await pool.query(
            "SELECT product_id, quantity, unit_price, line_total FROM order_items WHERE order_id = $1 ORDER BY line", [id]
        ).decode(OrderItem.self)
        return order
    }

    /// Newest first; `createdBy` limits a member to their own orders.
    func list(customerID: String?, status: String?, createdBy: String?, page: PageRequest) async throws -> (orders: [Order], total: Int) {
        var clauses = [String]()
        var parameters = [any PostgresEncodable]()
        for (column, value) in [("customer_id", customerID), ("status", status), ("created_by", createdBy)] {
            guard let value else { continue }
            parameters.append(value)
            clauses.append("\(column) = $\(parameters.count)")
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let (orders, total) = try await pool.page(
            Order.self, columns: Self.columns, from: "orders", filter: filter, parameters: parameters, orderBy: "created_at DESC, id", page: page)
        return (orders, total)
    }

    /// Spending by a customer (completed and pending orders), optionally only `createdBy`'s.
    func summary(customerID: String, createdBy: String?) async throws -> OrderSummary {
        let rows = try await pool.query(
            """
            SELECT status, count(*) AS orders, COALESCE(sum(total), 0)::numeric(14,2) AS spent FROM orders
            WHERE customer_id = $1 AND ($2::text IS NULL OR created_by = $2) GROUP BY status
            """,
            [customerID, createdBy]
        ).rows
        var byStatus = [String: Int]()
        var spent = Money.zero
        for row in rows {
            let status = try row.decode("status", as: String.self)
            byStatus[status] = try row.decode("orders", as: Int.self)
            if status != "cancelled" { spent = spent + (try row.decode("spent", as: Money.self)) }
        }
        return OrderSummary(customerID: customerID, totalSpent: spent, orderCount: byStatus.values.reduce(0, +), byStatus: byStatus)
    }

    /// Move a pending order to `status` (`completed` or `cancelled`) and record
    /// `order.<status>` by `actor`; `nil` when it is not pending (or does not exist).
    func transition(_ id: String, to status: String, by actor: String) async throws -> Order? {
        let moved = try await pool.withTransaction { session in
            let updated = try await session.query(
                "UPDATE orders SET status = $2, updated_at = now() WHERE id = $1 AND status = 'pending' RETURNING \(Self.columns)", [id, status])
            guard let order = try updated.decode(Order.self).first else { return false }
            try await session.recordEvent("order.\(status)", aggregate: "order", id: id, actor: actor, data: Self.eventData(order))
            return true
        }
        return moved ? try await find(id) : nil
    }

    /// What `order.*` events carry: the order's identity, owner, status and exact total (and
    /// its lines, when loaded).
    static func eventData(_ order: Order) -> [String: JSONValue] {
        var data: [String: JSONValue] = [
            "order_id": .string(order.id), "customer_id": .string(order.customerID), "user_id": .string(order.createdBy),
            "status": .string(order.status), "total": .string(order.total.description), "payment_method": .string(order.paymentMethod),
        ]
        if !order.items.isEmpty {
            data["items"] = .array(order.items.map {
                .object(["product_id": .string($0.productID), "quantity": .int($0.quantity),
                         "unit_price": .string($0.unitPrice.description), "line_total": .string($0.lineTotal.description)])
            })
        }
        return data
    }
}
