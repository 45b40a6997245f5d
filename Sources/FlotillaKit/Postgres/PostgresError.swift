import HTTPTypes

/// A PostgreSQL failure, typed so services never parse message strings.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached or refused the connection.
        case connectionFailed
        /// The connection broke during a query.
        case connectionLost
        /// The server rejected the statement; see ``PostgresError/sqlState``.
        case server
        /// A column's value could not be decoded into the requested Swift type.
        case decoding
        /// No connection became free before the caller's deadline.
        case poolExhausted
        /// The pool has been shut down.
        case poolClosed
        /// The query ran past its client-side deadline and was cancelled.
        case queryTimeout
        /// The calling task was cancelled and the query with it.
        case cancelled
        /// A text parameter holds a NUL character, which PostgreSQL cannot store and libpq
        /// would cut the text at: refused before sending, never silently truncated.
        case nulInParameter
        /// An earlier statement of the same pipeline segment failed, so this one did not run.
        case pipelineAborted
    }

    public let kind: Kind
    /// Five-character SQLSTATE for server errors (e.g. `23505`).
    public let sqlState: String?
    /// Primary message.
    public let message: String
    /// Server's detail line, if any.
    public let detail: String?
    /// Constraint, column and table named by the server, if any.
    public let constraint: String?
    public let column: String?
    public let table: String?

    public init(
        _ kind: Kind,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        constraint: String? = nil,
        column: String? = nil,
        table: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.constraint = constraint
        self.column = column
        self.table = table
    }

    public var description: String {
        var text = "postgres \(kind)"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let detail { text += " (\(detail))" }
        return text
    }

    /// Serialization failure or deadlock: the transaction can be retried as a whole.
    public var isRetryableTransactionFailure: Bool {
        sqlState == SQLState.serializationFailure || sqlState == SQLState.deadlockDetected || isStalePlan
    }

    /// A prepared statement's result columns changed under a schema change ("cached plan
    /// must not change result type"): prepared again, it runs.
    var isStalePlan: Bool {
        sqlState == SQLState.featureNotSupported && message.hasPrefix("cached plan must not change result type")
    }

    /// SQLSTATE codes the kit treats specially.
    public enum SQLState {
        public static let uniqueViolation = "23505"
        public static let featureNotSupported = "0A000"
        public static let foreignKeyViolation = "23503"
        public static let checkViolation = "23514"
        public static let notNullViolation = "23502"
        public static let serializationFailure = "40001"
        public static let deadlockDetected = "40P01"
        public static let queryCanceled = "57014"
    }
}

extension PostgresError: APIErrorConvertible {
    /// Constraint violations become 4xx answers; availability problems 503/504; the rest 500.
    public var apiError: APIError {
        var details: [String: JSONValue] = [:]
        if let constraint { details["constraint"] = .string(constraint) }
        if let column { details["field"] = .string(column) }
        switch (kind, sqlState) {
        case (.server, SQLState.uniqueViolation?):
            return APIError(.conflict, code: "conflict", message: "A record with the same unique value already exists.", details: details)
        case (.server, SQLState.foreignKeyViolation?):
            return APIError(.unprocessableContent, code: "invalid_reference", message: "The record refers to something that does not exist, or is still referred to.", details: details)
        case (.server, SQLState.checkViolation?):
            return APIError(.unprocessableContent, code: "constraint_violation", message: "The values break a rule of the data model.", details: details)
        case (.server, SQLState.notNullViolation?):
            return APIError(.badRequest, code: "validation_failed", message: "The field '\(column ?? "?")' is required.", details: details)
        case (.server, _) where isRetryableTransactionFailure:
            return APIError(.serviceUnavailable, code: "database_busy", message: "The database was busy with a conflicting change; retry the request.", headers: [.retryAfter: "1"])
        case (.poolExhausted, _), (.connectionFailed, _), (.connectionLost, _), (.poolClosed, _):
            return APIError(.serviceUnavailable, code: "database_unavailable", message: "The database is unavailable right now; retry shortly.", headers: [.retryAfter: "1"])
        case (.nulInParameter, _):
            return APIError(.badRequest, code: "validation_failed", message: "A text value contains a NUL character (\\u0000), which cannot be stored; remove it.")
        case (.queryTimeout, _):
            return APIError(.gatewayTimeout, code: "database_timeout", message: "The database did not answer in time.")
        default:
            return .internalError
        }
    }
}
