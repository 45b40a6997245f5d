import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Products in PostgreSQL.
struct ProductRepository: Sendable {
    let pool: PostgresPool
    /// Stock below which a purchase records `product.low_stock` (`CATALOG_LOW_STOCK_THRESHOLD`).
    var lowStockThreshold = 5
    static let columns = "id, name, brand, category, price, stock, metadata, created_at, updated_at"

    /// The result of a purchase: enough to answer without a second read.
    enum Decrement: Sendable {
        case done(Product)
        case insufficient(available: Int)
        case notFound
    }

    func list(_ query: ProductListQuery) async throws -> (products: [Product], total: Int) {
        let (filter, parameters) = query.filter
        let (products, total) = try await pool.page(
            Product.self, columns: Self.columns, from: "products", filter: filter, parameters: parameters,
            orderBy: ProductListQuery.sorts[query.sort] ?? "created_at ASC, id ASC", page: query.page)
        return (products, total)
    }

    func find(_ id: String) async throws -> Product? {
        try await pool.query("SELECT \(Self.columns) FROM products WHERE id = $1", [id]).decode(Product.self).first
    }

    /// Insert; 409 `product_exists` when the id is taken.
    func create(_ input: ProductInput) async throws -> Product {
        do {
            return try await pool.query(
                """
                INSERT INTO products (id, name, brand, category, price, stock, metadata)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING \(Self.columns)
                """,
                [input.id, input.name?.trimmed, input.brand?.trimmed, input.category?.trimmed, input.price, input.stock,
                 PostgresJSON(input.metadata ?? [:])]
            ).decode(Product.self)[0]
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation {
            throw APIError(.conflict, code: "product_exists", message: "A product with id '\(input.id ?? "")' already exists.", details: ["field": "id"])
        }
    }

    /// Change the fields that are present; `nil` when there is no such product.
    func update(_ id: String, with input: ProductInput) async throws -> Product? {
        try await pool.query(
            """
            UPDATE products SET name = COALESCE($2, name), brand = COALESCE($3, brand), category = COALESCE($4, category),
                price = COALESCE($5, price), stock = COALESCE($6, stock), metadata = COALESCE($7, metadata), updated_at = now()
            WHERE id = $1 RETURNING \(Self.columns)
            """,
            [id, input.name?.trimmed, input.brand?.trimmed, input.category?.trimmed, input.price, input.stock,
             input.metadata.map { PostgresJSON($0) }]
        ).decode(Product.self).first
    }

    func delete(_ id: String) async throws -> Bool {
        !(try await pool.query("DELETE FROM products WHERE id = $1 RETURNING id", [id]).rows.isEmpty)
    }

    /// Take `quantity` from stock in one statement, so concurrent buyers can never oversell;
    /// the purchase that takes the stock below the low-stock threshold records `product.low_stock`.
    func decrement(_ id: String, by quantity: Int) async throws -> Decrement {
        let bought = try await pool.withTransaction { session -> Product? in
            let rows = try await session.query(
                "UPDATE products SET stock = stock - $1, updated_at = now() WHERE id = $2 AND stock >= $1 RETURNING \(Self.columns)",
                [quantity, id]
            ).decode(Product.self)
            guard let product = rows.first else { return nil }
            if product.stock < lowStockThreshold && product.stock + quantity >= lowStockThreshold {
                try await session.recordEvent(
                    "product.low_stock", aggregate: "product", id: product.id,
                    data: ["product_id": .string(product.id), "name": .string(product.name), "stock": .int(product.stock),
                           "threshold": .int(lowStockThreshold)])
            }
            return product
        }
        if let product = bought { return .done(product) }
        let stock = try await pool.query("SELECT stock FROM products WHERE id = $1", [id]).rows.first
        guard let stock else { return .notFound }
        return .insufficient(available: try stock.decode("stock", as: Int.self))
    }

    /// Put `quantity` back (a cancelled order) or receive new stock.
    func restock(_ id: String, by quantity: Int) async throws -> Product? {
        try await pool.query(
            "UPDATE products SET stock = stock + $1, updated_at = now() WHERE id = $2 RETURNING \(Self.columns)", [quantity, id]
        ).decode(Product.self).first
    }
}
