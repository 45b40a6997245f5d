import FlotillaKit
import Hummingbird

/// `GET /products` parameters: `limit` (default 10, max 100), `offset`, `category`,
/// `brand`, `minPrice`/`maxPrice` (inclusive) and `sort`; every bad one is reported at once.
struct ProductListQuery: Sendable, Equatable {
    /// Allowed `sort` values and the ORDER BY each means (a whitelist: nothing from the
    /// request reaches SQL text).
    static let sorts: [String: String] = [
        "price": "price ASC, id ASC", "-price": "price DESC, id ASC",
        "created_at": "created_at ASC, id ASC", "-created_at": "created_at DESC, id ASC",
        "name": "name ASC, id ASC", "-name": "name DESC, id ASC",
    ]

    var page: PageRequest
    var category: String?
    var brand: String?
    var minPrice: Money?
    var maxPrice: Money?
    var sort: String

    init(_ request: Request) throws(APIError) {
        var query = QueryReader(request)
        page = PageRequest(&query, defaultLimit: 10, maxLimit: 100)
        category = query.string("category", maxLength: 50)
        brand = query.string("brand", maxLength: 100)
        minPrice = query.money("minPrice")
        maxPrice = query.money("maxPrice")
        sort = query.choice("sort", in: Self.sorts.keys.sorted()) ?? "created_at"
        if let minPrice, let maxPrice, minPrice > maxPrice {
            query.record("minPrice", "(\(minPrice)) is above maxPrice (\(maxPrice))")
        }
        try query.validate()
    }

    /// The WHERE clause and its parameters.
    var filter: (sql: String, parameters: [any PostgresEncodable]) {
        var clauses = [String]()
        var parameters = [any PostgresEncodable]()
        /// `condition` is trusted SQL ending in an operator; the value becomes the next `$n`.
        func add(_ condition: String, _ value: any PostgresEncodable) {
            parameters.append(value)
            clauses.append("\(condition) $\(parameters.count)")
        }
        if let category { add("category =", category) }
        if let brand { add("brand =", brand) }
        if let minPrice { add("price >=", minPrice) }
        if let maxPrice { add("price <=", maxPrice) }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), parameters)
    }
}
