import Synchronization

/// Whether the service has begun shutting down. Once draining, `/ready` answers 503 so
/// Kubernetes takes the pod out of its Service endpoints before the listener closes.
public final class LifecycleState: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    /// True from the shutdown signal on.
    public var isDraining: Bool {
        draining.load(ordering: .acquiring)
    }

    /// Start draining; idempotent.
    public func beginDraining() {
        draining.store(true, ordering: .releasing)
    }
}
