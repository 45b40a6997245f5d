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

    private init(handle: OpaquePointer) {
        self.handle = handle
        self.cancelHandle = PQgetCancel(handle)
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
        let connection = PostgresConnection(handle: handle)
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

    /// Run one statement with `$n` parameters (blocking), results in text format.
    func execute(_ sql: String, _ parameters: [PostgresParameter]) throws(PostgresError) -> PostgresQueryResult {
        // Text parameters go to libpq as C strings: a NUL would end the value early.
        if let index = parameters.firstIndex(where: { $0.text?.utf8.contains(0) == true }) {
            throw PostgresError(.nulInParameter, message: "parameter $\(index + 1) contains a NUL character")
        }
        let types = parameters.map { Oid($0.type) }
        var texts: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.text.map { strdup($0) } ?? nil }
        defer { texts.forEach { free($0) } }
        let result: OpaquePointer? = texts.withUnsafeMutableBufferPointer { texts in
            texts.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                PQexecParams(handle, sql, Int32(parameters.count), types, values.baseAddress, nil, nil, 0)
            }
        }
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

    private func error(from result: OpaquePointer) -> PostgresError {
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
