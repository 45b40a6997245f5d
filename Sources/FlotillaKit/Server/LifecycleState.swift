import Synchronization

/// Whether the service has begun shutting down. Once draining, `/ready` answers 503 so
/// Kubernetes takes the pod out of its Service endpoints before the listener closes.
public final class LifecycleState: Sendable {
    private let draining = Atomic<Bool>(false)
    /// The server's open connections, told to close once idle when draining begins.
    public let connections = OpenConnections()

    public init() {}

    /// True from the shutdown signal on.
    public var isDraining: Bool {
        draining.load(ordering: .acquiring)
    }

    /// Start draining: from now on responses carry `Connection: close`, and idle keep-alive
    /// connections are closed cleanly while the listener still accepts reconnects; idempotent.
    public func beginDraining() {
        draining.store(true, ordering: .releasing)
        connections.quiesceAll()
    }
}
