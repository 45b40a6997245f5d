import Synchronization

/// Caps concurrent calls to one upstream; a call over the cap is rejected at once rather
/// than queued, so a slow upstream cannot absorb every task in the service.
public final class Bulkhead: Sendable {
    public let maxConcurrent: Int
    private let inUse = Mutex(0)

    public init(maxConcurrent: Int) {
        self.maxConcurrent = maxConcurrent
    }

    /// Take a slot; false when all are taken.
    public func tryEnter() -> Bool {
        inUse.withLock { count in
            guard count < maxConcurrent else { return false }
            count += 1
            return true
        }
    }

    /// Give a slot back.
    public func leave() {
        inUse.withLock { $0 -= 1 }
    }

    /// Calls currently holding a slot.
    public var current: Int { inUse.withLock { $0 } }
}
