import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Several statements in one round trip: libpq's pipeline mode. Statements are sent one after
/// another without waiting, then every result is read; the server runs them in order.
extension PostgresConnection {
    /// How a pipeline's statements are separated.
    enum PipelineSegments {
        /// A sync after each statement: an error fails only its own statement (outside a
        /// transaction each is its own implicit transaction; inside one, an error still
        /// aborts the transaction, so later statements fail with 25P02). For independent
        /// statements (a page and its count, say).
        case eachStatement
        /// One sync at the end: the first error aborts every later statement
        /// (``PostgresError/Kind/pipelineAborted``), as one implicit transaction would.
        case together
    }

    /// Run `statements` in one round trip (blocking): per-statement outcomes. Throws when a
    /// parameter holds a NUL (nothing is sent) or the connection itself fails (it is then not
    /// reusable). Statements are prepared and cached as ``execute(_:_:)`` does; a plan gone
    /// stale under a schema change is prepared again and, outside a transaction, run again:
    /// that statement alone with ``PipelineSegments/eachStatement``, the whole pipeline
    /// with ``PipelineSegments/together`` (whose implicit transaction rolled back).
    func executePipeline(
        _ statements: [(sql: String, parameters: [PostgresParameter])], segments: PipelineSegments, rerunsStale: Bool = true
    ) throws(PostgresError) -> [Result<PostgresQueryResult, PostgresError>] {
        guard !statements.isEmpty else { return [] }
        for (position, statement) in statements.enumerated() {
            if let index = statement.parameters.firstIndex(where: { $0.text?.utf8.contains(0) == true }) {
                throw PostgresError(.nulInParameter, message: "statement \(position + 1): parameter $\(index + 1) contains a NUL character")
            }
        }
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError() }
        var sent: [SentStatement] = []
        var evicted: [String] = []
        for (index, statement) in statements.enumerated() {
            guard let outcome = send(statement.sql, statement.parameters, evicted: &evicted) else { throw connectionError() }
            sent.append(outcome)
            if segments == .eachStatement || index == statements.count - 1 {
                guard PQpipelineSync(handle) == 1 else { throw connectionError() }
            }
        }
        var results: [Result<PostgresQueryResult, PostgresError>] = []
        for statement in sent {
            results.append(try read(statement))
            if segments == .eachStatement { try readSync() }
        }
        if segments == .together { try readSync() }
        _ = PQexitPipelineMode(handle)
        evicted.forEach(deallocate)

        let stale = results.indices.filter { if case .failure(let error) = results[$0] { error.isStalePlan } else { false } }
        guard rerunsStale, !stale.isEmpty, PQtransactionStatus(handle) == PQTRANS_IDLE else { return results }
        switch segments {
        case .together:
            return try executePipeline(statements, segments: segments, rerunsStale: false)
        case .eachStatement:
            for index in stale {
                do throws(PostgresError) {
                    results[index] = .success(try execute(statements[index].sql, statements[index].parameters))
                } catch where error.kind == .server {
                    results[index] = .failure(error)
                }
            }
            return results
        }
    }

    /// What was sent for one statement: whether it was prepared, and whether its prepare
    /// went with it.
    enum SentStatement {
        case unprepared
        case prepared(key: PreparedStatementCache.Key, preparedNow: Bool)
    }

    /// Queue one statement (and its prepare, the first time); nil when libpq refused to queue.
    private func send(_ sql: String, _ parameters: [PostgresParameter], evicted: inout [String]) -> SentStatement? {
        let prepares = self.statements.capacity > 0 && PreparedStatementCache.isPreparable(sql)
        return Self.withLibpqParameters(parameters) { types, values -> SentStatement? in
            guard prepares else {
                return PQsendQueryParams(handle, sql, Int32(parameters.count), types, values, nil, nil, 0) == 1 ? .unprepared : nil
            }
            let key = PreparedStatementCache.Key(sql: sql, parameterTypes: types)
            var name = self.statements.name(for: key)
            let preparedNow = name == nil
            if name == nil {
                let inserted = self.statements.insert(key)
                if let old = inserted.evicted { evicted.append(old) }
                guard PQsendPrepare(handle, inserted.name, sql, Int32(types.count), types) == 1 else { return nil }
                name = inserted.name
            }
            guard PQsendQueryPrepared(handle, name, Int32(parameters.count), values, nil, nil, 0) == 1 else { return nil }
            return .prepared(key: key, preparedNow: preparedNow)
        }
    }

    /// Read one statement's results (its prepare's first, if one was sent).
    private func read(_ statement: SentStatement) throws(PostgresError) -> Result<PostgresQueryResult, PostgresError> {
        switch statement {
        case .unprepared:
            return try nextResult()
        case .prepared(let key, let preparedNow):
            if preparedNow, case .failure(let error) = try nextResult() {
                _ = self.statements.remove(key)
                _ = try nextResult()  // the statement itself, aborted with its prepare
                return .failure(error)
            }
            let result = try nextResult()
            if case .failure(let error) = result, error.isStalePlan { forget(key) }
            return result
        }
    }

    /// The next command's result, and the NULL that ends it.
    private func nextResult() throws(PostgresError) -> Result<PostgresQueryResult, PostgresError> {
        guard let result = PQgetResult(handle) else { throw connectionError() }
        let outcome: Result<PostgresQueryResult, PostgresError>
        if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
            PQclear(result)
            outcome = .failure(PostgresError(.pipelineAborted, message: "not run: an earlier statement of the pipeline failed"))
        } else {
            do throws(PostgresError) { outcome = .success(try take(result)) } catch { outcome = .failure(error) }
        }
        guard PQgetResult(handle) == nil else { throw PostgresError(.server, message: "unexpected extra result in a pipeline") }
        return outcome
    }

    private func readSync() throws(PostgresError) {
        guard let result = PQgetResult(handle) else { throw connectionError() }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_PIPELINE_SYNC else { throw PostgresError(.server, message: "pipeline out of step: expected its sync") }
    }

    /// Statements whose plan went stale (and were forgotten), run again alone when the
    /// connection is outside a transaction.
    private func rerunStale(
        _ statements: [(sql: String, parameters: [PostgresParameter])], _ results: [Result<PostgresQueryResult, PostgresError>]
    ) throws(PostgresError) -> [Result<PostgresQueryResult, PostgresError>] {
        var results = results
        for index in results.indices {
            guard case .failure(let error) = results[index], error.isStalePlan, PQtransactionStatus(handle) == PQTRANS_IDLE else { continue }
            do throws(PostgresError) {
                results[index] = .success(try execute(statements[index].sql, statements[index].parameters))
            } catch where error.kind == .server {
                results[index] = .failure(error)
            }
        }
        return results
    }

    private func connectionError() -> PostgresError {
        PostgresError(isOpen ? .server : .connectionLost, message: String(cString: PQerrorMessage(handle)).trimmingWhitespace().description)
    }
}
