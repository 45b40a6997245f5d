import CLibPQ

/// Statements in one round trip: libpq's pipeline mode. Statements are queued and sent
/// without waiting, the caller suspends until the server's answers are in
/// (``PostgresReactor``), then every result is read; the server runs them in order.
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

    /// Run `statements` in one round trip: per-statement outcomes. Throws when a parameter
    /// holds a NUL (nothing is sent) or the connection itself fails (it is then not
    /// reusable). Statements are prepared once and cached (``PreparedStatementCache``; the
    /// prepare travels in the same round trip); a plan gone stale under a schema change is
    /// prepared again and, outside a transaction, run again: that statement alone with
    /// ``PipelineSegments/eachStatement``, the whole pipeline with
    /// ``PipelineSegments/together`` (whose implicit transaction rolled back).
    func executePipeline(
        _ statements: [(sql: String, parameters: [PostgresParameter])], segments: PipelineSegments, rerunsStale: Bool = true
    ) async throws(PostgresError) -> [Result<PostgresQueryResult, PostgresError>] {
        guard !statements.isEmpty else { return [] }
        for (position, statement) in statements.enumerated() {
            if let index = statement.parameters.firstIndex(where: { $0.text?.utf8.contains(0) == true }) {
                let prefix = statements.count == 1 ? "" : "statement \(position + 1): "
                throw PostgresError(.nulInParameter, message: "\(prefix)parameter $\(index + 1) contains a NUL character")
            }
        }
        // A failure before every answer is read leaves the connection in pipeline mode, so
        // the pool discards it (``isReusable``).
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError() }
        var syncs = 0
        let plan = plan(statements)
        if !plan.deallocateFirst.isEmpty {
            guard sendDeallocations(plan.deallocateFirst) else { throw connectionError() }
            syncs += 1
        }
        for (index, statement) in statements.enumerated() {
            guard send(statement.sql, statement.parameters, as: plan.statements[index]) else { throw connectionError() }
            if segments == .eachStatement || index == statements.count - 1 {
                guard PQpipelineSync(handle) == 1 else { throw connectionError() }
                syncs += 1
            }
        }
        if !plan.deallocateLast.isEmpty {
            guard sendDeallocations(plan.deallocateLast) else { throw connectionError() }
            syncs += 1
        }
        let flushed = PQflush(handle)
        guard flushed >= 0, PQsocket(handle) >= 0 else { throw connectionError() }
        let answers = await PostgresReactor.shared.complete(
            PostgresExchange(handle: handle, socket: PQsocket(handle), syncs: syncs, flushPending: flushed == 1)
        )

        if !plan.deallocateFirst.isEmpty { try readDeallocations(plan.deallocateFirst, answers) }
        var results: [Result<PostgresQueryResult, PostgresError>] = []
        for statement in plan.statements {
            results.append(try read(statement, answers))
            if segments == .eachStatement { try readSync(answers) }
        }
        if segments == .together { try readSync(answers) }
        if !plan.deallocateLast.isEmpty { try readDeallocations(plan.deallocateLast, answers) }
        _ = PQexitPipelineMode(handle)

        let stale = results.indices.filter { if case .failure(let error) = results[$0] { error.isStalePlan } else { false } }
        guard rerunsStale, !stale.isEmpty, PQtransactionStatus(handle) == PQTRANS_IDLE else { return results }
        switch segments {
        case .together:
            return try await executePipeline(statements, segments: segments, rerunsStale: false)
        case .eachStatement:
            for index in stale {
                do throws(PostgresError) {
                    results[index] = try await executePipeline([statements[index]], segments: .together, rerunsStale: false)[0]
                } catch where error.kind == .server {
                    results[index] = .failure(error)
                }
            }
            return results
        }
    }

    /// How one statement goes: unprepared, or by a name (prepared first in the same round
    /// trip when `preparedNow`).
    enum SentStatement {
        case unprepared
        case prepared(key: PreparedStatementCache.Key, name: String, preparedNow: Bool)
    }

    /// A pipeline's use of the statement cache, settled before anything is sent.
    struct PipelinePlan {
        var statements: [SentStatement] = []
        /// Evicted statements prepared before this pipeline (and deallocations left from
        /// earlier), deallocated in a segment of their own ahead of the statements, so the
        /// server never holds more than the cache's bound.
        var deallocateFirst: [String] = []
        /// Statements both prepared and evicted within this pipeline: deallocated after it.
        var deallocateLast: [String] = []
    }

    /// Look each statement up in the cache, making room for the new ones. A failing
    /// `DEALLOCATE` costs nothing: inside a failed transaction it cannot run, and the
    /// statement stays on the server under a name never used again.
    private func plan(_ statements: [(sql: String, parameters: [PostgresParameter])]) -> PipelinePlan {
        var plan = PipelinePlan(deallocateFirst: pendingDeallocations)
        pendingDeallocations = []
        var preparedHere = Set<String>()
        for statement in statements {
            guard self.statements.capacity > 0, PreparedStatementCache.isPreparable(statement.sql) else {
                plan.statements.append(.unprepared)
                continue
            }
            let key = PreparedStatementCache.Key(sql: statement.sql, parameterTypes: statement.parameters.map { Oid($0.type) })
            if let name = self.statements.name(for: key) {
                plan.statements.append(.prepared(key: key, name: name, preparedNow: false))
                continue
            }
            let inserted = self.statements.insert(key)
            if let evicted = inserted.evicted {
                if preparedHere.contains(evicted) { plan.deallocateLast.append(evicted) } else { plan.deallocateFirst.append(evicted) }
            }
            preparedHere.insert(inserted.name)
            plan.statements.append(.prepared(key: key, name: inserted.name, preparedNow: true))
        }
        return plan
    }

    /// Queue one statement as planned (and its prepare, the first time); false when libpq
    /// refused to queue.
    private func send(_ sql: String, _ parameters: [PostgresParameter], as planned: SentStatement) -> Bool {
        Self.withLibpqParameters(parameters) { types, values in
            switch planned {
            case .unprepared:
                return PQsendQueryParams(handle, sql, Int32(parameters.count), types, values, nil, nil, 0) == 1
            case .prepared(_, let name, let preparedNow):
                if preparedNow, PQsendPrepare(handle, name, sql, Int32(types.count), types) != 1 { return false }
                return PQsendQueryPrepared(handle, name, Int32(parameters.count), values, nil, nil, 0) == 1
            }
        }
    }

    /// Queue `DEALLOCATE`s as a segment of their own; false when libpq refused to queue.
    private func sendDeallocations(_ names: [String]) -> Bool {
        names.allSatisfy { PQsendQueryParams(handle, "DEALLOCATE \($0)", 0, nil, nil, nil, nil, 0) == 1 } && PQpipelineSync(handle) == 1
    }

    private func readDeallocations(_ names: [String], _ answers: PostgresResultQueue) throws(PostgresError) {
        for _ in names { _ = try nextResult(answers) }
        try readSync(answers)
    }

    /// Read one statement's results (its prepare's first, if one was sent).
    private func read(_ statement: SentStatement, _ answers: PostgresResultQueue) throws(PostgresError) -> Result<PostgresQueryResult, PostgresError> {
        switch statement {
        case .unprepared:
            return try nextResult(answers)
        case .prepared(let key, _, let preparedNow):
            if preparedNow, case .failure(let error) = try nextResult(answers) {
                _ = self.statements.remove(key)
                _ = try nextResult(answers)  // the statement itself, aborted with its prepare
                return .failure(error)
            }
            let result = try nextResult(answers)
            if case .failure(let error) = result, error.isStalePlan { forget(key) }
            return result
        }
    }

    /// The next command's result, and the nil that ends it.
    private func nextResult(_ answers: PostgresResultQueue) throws(PostgresError) -> Result<PostgresQueryResult, PostgresError> {
        guard let result = try answers.next() else { throw connectionError() }
        let outcome: Result<PostgresQueryResult, PostgresError>
        if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
            PQclear(result)
            outcome = .failure(PostgresError(.pipelineAborted, message: "not run: an earlier statement of the pipeline failed"))
        } else {
            do throws(PostgresError) { outcome = .success(try take(result)) } catch { outcome = .failure(error) }
        }
        if let extra = try answers.next() {
            PQclear(extra)
            throw PostgresError(.server, message: "unexpected extra result in a pipeline")
        }
        return outcome
    }

    private func readSync(_ answers: PostgresResultQueue) throws(PostgresError) {
        guard let result = try answers.next() else { throw connectionError() }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_PIPELINE_SYNC else { throw PostgresError(.server, message: "pipeline out of step: expected its sync") }
    }

    private func connectionError() -> PostgresError {
        PostgresError(isOpen ? .server : .connectionLost, message: String(cString: PQerrorMessage(handle)).trimmingWhitespace().description)
    }
}
