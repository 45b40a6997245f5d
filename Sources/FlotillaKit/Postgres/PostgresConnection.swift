import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One libpq connection, used by one borrower at a time. Statements are sent without
/// blocking (libpq's nonblocking mode) and their answers awaited through the
/// ``PostgresReactor``, so no thread waits on the server; connecting, scripts
/// (``executeScript(_:)``) and ``requestCancel()`` block, and run on the pool's threads.
final class PostgresConnection: PooledConnection, @unchecked Sendable {
    let handle: OpaquePointer
    /// libpq's cancel object: usable from any thread while a query runs.
    private let cancelHandle: OpaquePointer?
    /// Last time the connection was returned to the pool.
    var lastReleased: ContinuousClock.Instant = .now
    /// Statements prepared on this connection (`DB_STATEMENT_CACHE_SIZE`).
    var statements: PreparedStatementCache
    /// Statements gone stale, still to be deallocated on the server: sent ahead of the
    /// statements of the connection's next round trip. Names are never reused.
    var pendingDeallocations: [String] = []

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
        let settings = [PostgresParameter(type: PostgresType.text, text: timeout), PostgresParameter(type: PostgresType.text, text: configuration.searchPath)]
        _ = try withLibpqParameters(settings) { types, values throws(PostgresError) in
            try connection.take(PQexecParams(
                handle, "SELECT set_config('TimeZone', 'UTC', false), set_config('statement_timeout', $1, false), set_config('search_path', $2, false)",
                2, types, values, nil, nil, 0))
        }
        guard PQsetnonblocking(handle, 1) == 0 else { throw PostgresError(.connectionFailed, message: "cannot put the connection in nonblocking mode") }
        return connection
    }

    /// Whether the connection is open, outside any transaction, and has nothing in flight.
    var isReusable: Bool {
        PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE && PQpipelineStatus(handle) == PQ_PIPELINE_OFF
    }

    /// Whether the connection is still open.
    var isOpen: Bool {
        PQstatus(handle) == CONNECTION_OK
    }

    /// Run one statement with `$n` parameters, results in text format, without blocking a
    /// thread (a pipeline of one: ``executePipeline(_:segments:rerunsStale:)``). Queries and
    /// DML are prepared once per connection and executed by name after that
    /// (``PreparedStatementCache``); a statement whose plan went stale under a schema change
    /// (its result columns changed) is prepared again and run, outside a transaction, or
    /// fails once inside one (which cannot go on after an error), to be prepared afresh next time.
    func execute(_ sql: String, _ parameters: [PostgresParameter]) async throws(PostgresError) -> PostgresQueryResult {
        try await executePipeline([(sql, parameters)], segments: .together)[0].get()
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

    /// Drop `key`'s prepared statement: from the cache now, on the server with the next
    /// round trip (``pendingDeallocations``).
    func forget(_ key: PreparedStatementCache.Key) {
        if let name = statements.remove(key) { pendingDeallocations.append(name) }
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
    /// for migration files, `LISTEN` and validation). Blocks (libpq's `PQexec` ignores
    /// nonblocking mode), so only on the pool's threads.
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
        // A server that ends the session says why first ("terminating connection due to
        // administrator command"): the connection is lost all the same.
        return PostgresError(
            isOpen ? .server : .connectionLost,
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
