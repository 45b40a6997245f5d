/// The columns of a result: names and type OIDs, shared by all its rows.
public final class PostgresColumns: Sendable {
    public let names: [String]
    public let types: [UInt32]
    let indexByName: [String: Int]

    init(names: [String], types: [UInt32]) {
        self.names = names
        self.types = types
        self.indexByName = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// One row of a result, with values in PostgreSQL's text format.
public struct PostgresRow: Sendable {
    public let columns: PostgresColumns
    let values: [String?]

    init(columns: PostgresColumns, values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// Whether the row has a column `name`.
    public func contains(_ name: String) -> Bool {
        columns.indexByName[name] != nil
    }

    /// Column `name` decoded as `type`; a NULL decodes only into an optional.
    public func decode<Value: PostgresDecodable>(_ name: String, as type: Value.Type = Value.self) throws(PostgresError) -> Value {
        let index = try index(of: name)
        guard let text = values[index] else {
            throw PostgresError(.decoding, message: "column '\(name)' is NULL; decode it as \(Value.self)?", column: name)
        }
        do {
            return try Value(postgresText: text, type: columns.types[index])
        } catch {
            throw PostgresError(.decoding, message: "column '\(name)': \(error.reason)", column: name)
        }
    }

    /// Column `name` decoded as `type`, or nil for NULL.
    public func decode<Value: PostgresDecodable>(_ name: String, as type: Value?.Type = Value?.self) throws(PostgresError) -> Value? {
        let index = try index(of: name)
        guard values[index] != nil else { return nil }
        return try decode(name, as: Value.self)
    }

    /// The whole row decoded into a `Decodable` type whose coding keys are column names
    /// (by its own ``PostgresRowDecodable`` initialiser when it has one).
    public func decode<Value: Decodable>(_ type: Value.Type) throws(PostgresError) -> Value {
        if let direct = type as? any PostgresRowDecodable.Type { return try direct.init(row: self) as! Value }
        do {
            return try Value(from: PostgresRowDecoder(row: self))
        } catch let error as PostgresError {
            throw error
        } catch {
            throw PostgresError(.decoding, message: "row as \(Value.self): \(error)")
        }
    }

    /// Raw text of column `index` (nil for NULL).
    func text(at index: Int) -> String? {
        values[index]
    }

    func index(of name: String) throws(PostgresError) -> Int {
        guard let index = columns.indexByName[name] else {
            throw PostgresError(.decoding, message: "no column '\(name)' in the result (columns: \(columns.names.joined(separator: ", ")))", column: name)
        }
        return index
    }
}

/// The outcome of one statement.
public struct PostgresQueryResult: Sendable {
    /// Rows returned (empty for statements without `RETURNING`).
    public let rows: [PostgresRow]
    /// Rows inserted, updated or deleted.
    public let affectedRows: Int

    /// Every row decoded as `type`.
    public func decode<Value: Decodable>(_ type: Value.Type) throws(PostgresError) -> [Value] {
        var values = [Value]()
        values.reserveCapacity(rows.count)
        for row in rows { values.append(try row.decode(type)) }
        return values
    }
}

/// A type that reads itself from a row by column name, for the rows of hot routes, where
/// the `Decodable` walk costs more than the query (a product list spent an eighth of its CPU
/// there). ``PostgresRow/decode(_:)`` uses it when a type has it.
public protocol PostgresRowDecodable: Decodable {
    init(row: PostgresRow) throws(PostgresError)
}
