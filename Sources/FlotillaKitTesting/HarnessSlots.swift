import Synchronization

/// A bound on how many heavy test harnesses (a service with its database pool, Redis, and
/// child processes) run at once in the suite. Swift Testing starts every test together; on
/// two cores, dozens of fleets at once only share the same CPU, and their connection pools
/// together exhaust the test PostgreSQL's `max_connections`. A harness waits for a slot
/// before it starts anything — a wait for a condition, not a deadline.
public final class HarnessSlots: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    public init(_ slots: Int) {
        state = Mutex(State(free: slots))
    }

    /// The suite's shared slots for service harnesses.
    public static let services = HarnessSlots(6)

    /// Run `body` in a slot, waiting for one first.
    public func run<Value>(_ body: () async throws -> Value) async throws -> Value {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
