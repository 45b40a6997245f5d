/// Sizing and timing of a ``ConnectionPool``.
struct ConnectionPoolSettings: Sendable {
    /// Connections kept open while the pool runs as a service.
    var minConnections: Int
    /// Most connections open at once.
    var maxConnections: Int
    /// Longest a caller waits for a connection.
    var acquireTimeout: Duration
    /// A connection idle longer than this is validated before reuse.
    var idleValidationInterval: Duration
    /// Backoff between failed connection attempts: doubles from `first` up to `cap`.
    var backoffFirst: Duration = .milliseconds(100)
    var backoffCap: Duration = .seconds(5)
}
