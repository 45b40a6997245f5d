import CLibPQ

/// One round trip on a nonblocking connection: statements already sent (perhaps not all
/// flushed), and the results read back as they complete, up to the last of `syncs`
/// pipeline syncs. Built by the sending caller, then advanced only by the
/// ``PostgresReactor``'s thread until it finishes.
final class PostgresExchange: @unchecked Sendable {
    let socket: Int32
    private let handle: OpaquePointer
    private var syncsLeft: Int
    private var flushPending: Bool
    private var previousWasEnd = false
    private let results = PostgresResultQueue()
    var continuation: CheckedContinuation<PostgresResultQueue, Never>?

    /// - Parameters:
    ///   - flushPending: libpq still holds output the socket would not take (`PQflush` gave 1).
    init(handle: OpaquePointer, socket: Int32, syncs: Int, flushPending: Bool) {
        self.handle = handle
        self.socket = socket
        self.syncsLeft = syncs
        self.flushPending = flushPending
    }

    /// What the socket is to be watched for next.
    var interest: SocketPoller.Events { flushPending ? [.readable, .writable] : .readable }

    /// Send what is left, read what arrived, and take every complete result; true when the
    /// exchange is over (every sync arrived, or the connection failed).
    func advance(_ events: SocketPoller.Events) -> Bool {
        if flushPending {
            switch PQflush(handle) {
            case 0: flushPending = false
            case 1: break
            default: return failed()
            }
        }
        // Reading even while output is pending: a server blocked on writing to us would never read.
        if !events.isDisjoint(with: [.readable, .error]), PQconsumeInput(handle) != 1 { return failed() }
        while PQisBusy(handle) == 0 {
            let result = PQgetResult(handle)
            guard result != nil || !previousWasEnd else { return failed() }  // libpq has nothing more to give
            previousWasEnd = result == nil
            results.append(result)
            if let result, PQresultStatus(result) == PGRES_PIPELINE_SYNC {
                syncsLeft -= 1
                if syncsLeft == 0 { return true }
            }
        }
        return PQstatus(handle) == CONNECTION_BAD ? failed() : false
    }

    /// Resume the caller with the results.
    func finish() {
        continuation.take()?.resume(returning: results)
    }

    /// End the exchange with `error` and resume the caller.
    func fail(_ error: PostgresError) {
        results.failure = error
        finish()
    }

    private func failed() -> Bool {
        results.failure = PostgresError(.connectionLost, message: String(cString: PQerrorMessage(handle)).trimmingWhitespace().description)
        return true
    }
}

/// The results of one ``PostgresExchange``, in the order `PQgetResult` gave them (nil ends
/// each statement's results), owned until taken; those never taken are freed with the queue.
final class PostgresResultQueue: @unchecked Sendable {
    private var results: [OpaquePointer?] = []
    private var position = 0
    /// Why the results stop short, when the connection failed.
    var failure: PostgresError?

    func append(_ result: OpaquePointer?) {
        results.append(result)
    }

    /// The next result as `PQgetResult` gave it, now the caller's to clear (nil ends a
    /// statement's results); throws when the exchange ended before it.
    func next() throws(PostgresError) -> OpaquePointer? {
        guard position < results.count else {
            throw failure ?? PostgresError(.connectionLost, message: "the connection ended before every result arrived")
        }
        defer { position += 1 }
        return results[position]
    }

    deinit {
        for case let result? in results[position...] { PQclear(result) }
    }
}
