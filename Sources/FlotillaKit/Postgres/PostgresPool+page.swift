extension PostgresPool {
    /// One page of rows and how many match in all, in one round trip (a window count; a
    /// second query only when the page is past the end).
    ///
    /// - Parameters:
    ///   - columns: the select list (trusted SQL).
    ///   - table: the table (trusted SQL).
    ///   - filter: `WHERE …` or empty (trusted SQL whose values are `$1…$n` in `parameters`).
    ///   - orderBy: the ORDER BY list (trusted SQL, e.g. from a whitelist of sorts).
    public func page<Row: Decodable>(
        _ type: Row.Type, columns: String, from table: String, filter: String, parameters: [any PostgresEncodable],
        orderBy: String, page: PageRequest
    ) async throws -> (rows: [Row], total: Int) {
        let count = parameters.count
        let rows = try await query(
            "SELECT \(columns), count(*) OVER () AS full_count__ FROM \(table) \(filter) ORDER BY \(orderBy) LIMIT $\(count + 1) OFFSET $\(count + 2)",
            parameters + [page.limit, page.offset]
        ).rows
        let decoded = try rows.map { try $0.decode(Row.self) }
        if let total = try rows.first?.decode("full_count__", as: Int.self) { return (decoded, total) }
        let total = try await query("SELECT count(*) AS full_count__ FROM \(table) \(filter)", parameters).rows[0].decode("full_count__", as: Int.self)
        return (decoded, total)
    }
}
