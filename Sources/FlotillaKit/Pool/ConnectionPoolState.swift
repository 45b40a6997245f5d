/// A connection a ``ConnectionPool`` can hold.
protocol PooledConnection: AnyObject, Sendable {
    /// When the connection was last returned to the pool.
    var lastReleased: ContinuousClock.Instant { get set }
    /// Whether it can be handed to the next borrower (open, no transaction left open, ...).
    var isReusable: Bool { get }
}

/// Why a pool could not hand out a connection.
enum ConnectionPoolFailure: Sendable {
    case exhausted(waited: Duration)
    case closed
    case backedOff
}

/// The pool's bookkeeping, kept apart from I/O: every method is a decision taken under the
/// pool's lock, returning what the caller must do once the lock is released.
struct ConnectionPoolState<Connection: PooledConnection> {
    struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Connection, any Error>
    }

    /// What `acquire` must do next.
    enum AcquireAction {
        case use(Connection)
        case connect
        case wait
        case fail(ConnectionPoolFailure)
    }

    /// What `release` must do next.
    enum ReleaseAction {
        case none
        case handOver(Connection, to: Waiter)
        case connect(for: Waiter)
    }

    let maxConnections: Int
    private(set) var idle: [Connection] = []
    /// Connections open or being opened.
    private(set) var open = 0
    private(set) var waiters: [Waiter] = []
    private(set) var closed = false
    private var nextWaiterID: UInt64 = 0

    init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    var inUse: Int { open - idle.count }

    mutating func acquire() -> AcquireAction {
        if closed { return .fail(.closed) }
        if let connection = idle.popLast() { return .use(connection) }
        if open < maxConnections {
            open += 1
            return .connect
        }
        return .wait
    }

    mutating func makeWaiterID() -> UInt64 {
        nextWaiterID += 1
        return nextWaiterID
    }

    mutating func enqueue(_ waiter: Waiter) {
        waiters.append(waiter)
    }

    /// Remove a waiter that timed out or was cancelled; nil if it was already served.
    mutating func removeWaiter(id: UInt64) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index)
    }

    /// A borrower is done with `connection`; `reusable` says whether it is clean and open.
    mutating func release(_ connection: Connection, reusable: Bool) -> ReleaseAction {
        guard reusable, !closed else {
            open -= 1
            return replaceForWaiter()
        }
        if !waiters.isEmpty {
            return .handOver(connection, to: waiters.removeFirst())
        }
        connection.lastReleased = .now
        idle.append(connection)
        return .none
    }

    /// A connection attempt failed, or a connection was found dead and dropped.
    mutating func connectionLost() -> ReleaseAction {
        open -= 1
        return replaceForWaiter()
    }

    /// Reserve a slot for one more connection (pool warm-up), if there is room.
    mutating func reserveForWarmUp(target: Int) -> Bool {
        guard !closed, open < target, open < maxConnections else { return false }
        open += 1
        return true
    }

    /// A warm-up connection arrived: give it to a waiter or keep it idle.
    mutating func add(_ connection: Connection) -> ReleaseAction {
        release(connection, reusable: true)
    }

    /// Close the pool: idle connections and waiters are handed back for the caller to close and fail.
    mutating func close() -> (idle: [Connection], waiters: [Waiter]) {
        closed = true
        let drained = (idle, waiters)
        open -= idle.count
        idle = []
        waiters = []
        return drained
    }

    private mutating func replaceForWaiter() -> ReleaseAction {
        guard !closed, !waiters.isEmpty, open < maxConnections else { return .none }
        open += 1
        return .connect(for: waiters.removeFirst())
    }
}
