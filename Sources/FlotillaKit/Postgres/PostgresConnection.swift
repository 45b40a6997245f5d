import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One libpq connection. Every method but ``requestCancel()`` blocks, so it is only ever
/// called on the pool's dedicated threads, by the single borrower holding it.
final class PostgresConnection: PooledConnection, @unchecked Sendable {
    let handle: OpaquePointer
    /// libpq's cancel object: usable from any thread while a query runs.
    private let cancelHandle: OpaquePointer?
    /// Last time the connection was returned to the pool.
    var lastReleased: ContinuousClock.Instant = .now
    /// Statements prepared on this connection (`DB_STATEMENT_CACHE_SIZE`).
    var statements: PreparedStatementCache

    private init(handle: OpaquePointer, statementCacheSize: Int) {
        self.handle = handle
        self.cancelHandle = PQgetCancel(handle)
        self.statements = PreparedStatementCache(capacity: statementCacheSize)
    }

    deinit {
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        PQfinish(handle)
    }

    /// Open a connection (blocking) and prepare the session: UTC timestamps, the pool's
    /// statement timeout, and the service's schema first on the search path.
    static func connect(_ configuration: PostgresConfiguration) throws(PostgresError) -> PostgresConnection {
        let keywords = configuration.connectionKeywords
        var cKeys: [UnsafeMutablePointer<CChar>?] = keywords.map { strdup($0.0) }
        var cValues: [UnsafeMutablePointer<CChar>?] = keywords.map { strdup($0.1) }
        cKeys.append(nil)
        cValues.append(nil)
        defer {
            cKeys.forEach { free($0) }
            cValues.forEach { free($0) }
        }
        let handle: OpaquePointer? = cKeys.withUnsafeBufferPointer { keys in
            cValues.withUnsafeBufferPointer { values in
                keys.withMemoryRebound(to: UnsafePointer<CChar>?.self) { keys in
                    values.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                        PQconnectdbParams(keys.baseAddress, values.baseAddress, 1)
                    }
                }
            }
        }
        guard let handle else { throw PostgresError(.connectionFailed, message: "out of memory") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingWhitespace()
            PQfinish(handle)
            throw PostgresError(.connectionFailed, message: String(message))
        }
        // Notices ("relation already exists, skipping") would go to stderr; drop them.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        let connection = PostgresConnection(handle: handle, statementCacheSize: configuration.statementCacheSize)
        let timeout = configuration.statementTimeout.map { String($0.wholeMilliseconds) } ?? "0"
        _ = try connection.execute(
            "SELECT set_config('TimeZone', 'UTC', false), set_config('statement_timeout', $1, false), set_config('search_path', $2, false)",
            [PostgresParameter(type: PostgresType.text, text: timeout), PostgresParameter(type: PostgresType.text, text: configuration.searchPath)]
        )
        return connection
    }

    /// Whether the connection is open and outside any transaction.
    var isReusable: Bool {
        PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Whether the connection is still open.
    var isOpen: Bool {
        PQstatus(handle) == CONNECTION_OK
    }

    /// Run one statement with `$n` parameters (blocking), results in text format. Queries
    /// and DML are prepared once per connection and executed by name after that
    /// (``PreparedStatementCache``); a statement whose plan went stale under a schema change
    /// (its result columns changed) is prepared again and run, outside a transaction, or
    /// fails once inside one (which cannot go on after an error), to be prepared afresh next time.
    func execute(_ sql: String, _ parameters: [PostgresParameter]) throws(PostgresError) -> PostgresQueryResult {
        // Text parameters go to libpq as C strings: a NUL would end the value early.
        if let index = parameters.firstIndex(where: { $0.text?.utf8.contains(0) == true }) {
            throw PostgresError(.nulInParameter, message: "parameter $\(index + 1) contains a NUL character")
        }
        let prepares = statements.capacity > 0 && PreparedStatementCache.isPreparable(sql)
        return try Self.withLibpqParameters(parameters) { types, values throws(PostgresError) in
            guard prepares else { return try take(PQexecParams(handle, sql, Int32(parameters.count), types, values, nil, nil, 0)) }
            let key = PreparedStatementCache.Key(sql: sql, parameterTypes: types)
            func runPrepared() throws(PostgresError) -> PostgresQueryResult {
                try take(PQexecPrepared(handle, try preparedName(for: key), Int32(parameters.count), values, nil, nil, 0))
            }
            do throws(PostgresError) {
                return try runPrepared()
            } catch where error.isStalePlan {
                forget(key)
                guard PQtransactionStatus(handle) == PQTRANS_IDLE else { throw error }
                return try runPrepared()
            }
        }
    }

    /// `parameters` as libpq takes them, valid inside `body`: their type OIDs and their texts
    /// as C strings (NULL for SQL NULL).
    static func withLibpqParameters<Value, Failure: Error>(
        _ parameters: [PostgresParameter], _ body: ([Oid], UnsafePointer<UnsafePointer<CChar>?>?) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        let types = parameters.map { Oid($0.type) }
        var texts: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.text.map { strdup($0) } ?? nil }
        defer { texts.forEach { free($0) } }
        return try texts.withUnsafeMutableBufferPointer { texts throws(Failure) in
            try texts.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values throws(Failure) in try body(types, UnsafePointer(values.baseAddress)) }
        }
    }

    /// The name `key` is prepared under, preparing it now (and deallocating the statement
    /// evicted for it) if it is not yet.
    private func preparedName(for key: PreparedStatementCache.Key) throws(PostgresError) -> String {
        if let name = statements.name(for: key) { return name }
        let (name, evicted) = statements.insert(key)
        if let evicted { deallocate(evicted) }
        do {
            _ = try take(PQprepare(handle, name, key.sql, Int32(key.parameterTypes.count), key.parameterTypes))
        } catch {
            statements.remove(key)
            throw error
        }
        return name
    }

    /// Drop `key`'s prepared statement, here and on the server.
    func forget(_ key: PreparedStatementCache.Key) {
        if let name = statements.remove(key) { deallocate(name) }
    }

    /// `DEALLOCATE` a statement; inside a failed transaction this cannot run, and the
    /// statement stays on the server under a name never used again (harmless, and gone
    /// with the connection).
    func deallocate(_ name: String) {
        if let result = PQexec(handle, "DEALLOCATE \(name)") { PQclear(result) }
    }

    /// The rows of a libpq result, or its error; the result is freed.
    func take(_ result: OpaquePointer?) throws(PostgresError) -> PostgresQueryResult {
        guard let result else {
            throw PostgresError(isOpen ? .server : .connectionLost, message: String(cString: PQerrorMessage(handle)).trimmingWhitespace().description)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Self.copy(result)
        default:
            throw error(from: result)
        }
    }

    /// Run a script of several statements with the simple-query protocol (no parameters;
    /// for migration files only).
    func executeScript(_ sql: String) throws(PostgresError) {
        guard let result = PQexec(handle, sql) else {
            throw PostgresError(isOpen ? .server : .connectionLost, message: String(cString: PQerrorMessage(handle)).trimmingWhitespace().description)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return
        default:
            throw error(from: result)
        }
    }

    /// Ask the server to cancel the statement now running (safe from any thread).
    func requestCancel() {
        guard let cancelHandle else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancelHandle, &buffer, Int32(buffer.count))
    }

    func error(from result: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        guard let sqlState = field("C") else {
            let message = String(cString: PQerrorMessage(handle)).trimmingWhitespace()
            return PostgresError(isOpen ? .server : .connectionLost, message: String(message))
        }
        return PostgresError(
            .server,
            message: field("M") ?? "error",
            sqlState: sqlState,
            detail: field("D"),
            constraint: field("n"),
            column: field("c"),
            table: field("t")
        )
    }

    private static func copy(_ result: OpaquePointer) -> PostgresQueryResult {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = PostgresColumns(
            names: (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) },
            types: (0..<columnCount).map { UInt32(PQftype(result, Int32($0))) }
        )
        var rows = [PostgresRow]()
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values = [String?]()
            values.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                values.append(PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column)))
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresQueryResult(rows: rows, affectedRows: affected)
    }
}
