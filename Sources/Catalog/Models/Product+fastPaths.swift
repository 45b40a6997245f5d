import FlotillaKit

/// The list's and the product's bodies written directly (``JSONWritable``): the encoder's
/// generic walk was a third of the list's CPU.
extension Product: JSONWritable {
    func write(to json: inout JSONTextWriter) {
        json.object { json in
            json.field("brand", brand)
            json.field("category", category)
            json.field("created_at", createdAt)
            json.field("id", id)
            json.field("metadata", metadata)
            json.field("name", name)
            json.field("price", price.description)
            json.field("stock", stock)
            json.field("updated_at", updatedAt)
        }
    }
}

extension ProductPage: JSONWritable {
    func write(to json: inout JSONTextWriter) {
        json.object { json in
            json.field("data", data)
            json.field("pagination", pagination)
        }
    }
}

/// Rows read column by column (``PostgresRowDecodable``), not through `Decodable`.
extension Product: PostgresRowDecodable {
    init(row: PostgresRow) throws(PostgresError) {
        self.init(
            id: try row.decode("id"), name: try row.decode("name"), brand: try row.decode("brand"), category: try row.decode("category"),
            price: try row.decode("price"), stock: try row.decode("stock"), metadata: try row.decode("metadata"),
            createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"))
    }
}
