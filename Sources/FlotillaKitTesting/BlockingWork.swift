import Dispatch

/// Runs blocking work (waiting for a child process, reading its pipe) on a Dispatch thread,
/// never on Swift's cooperative pool: on a 2-core machine that pool has two threads, and a
/// test blocking one for a second stalls every other suite's timers and I/O.
public enum BlockingWork {
    public static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
