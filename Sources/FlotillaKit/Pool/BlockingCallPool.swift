import NIOPosix

/// Dedicated threads for blocking C calls (libpq, hiredis), so they never run on NIO
/// event loops or occupy Swift's cooperative pool. See docs/adr/004.
public final class BlockingCallPool: Sendable {
    private let threads: NIOThreadPool

    /// Start `threadCount` threads.
    public init(threadCount: Int) {
        self.threads = NIOThreadPool(numberOfThreads: max(1, threadCount))
        threads.start()
    }

    /// Run `body` on one of the pool's threads and return its result. A call not yet
    /// started when the task is cancelled is skipped (throws `CancellationError`).
    public func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await threads.runIfActive(body)
    }

    /// Stop the threads once queued calls have run.
    public func shutdown() async {
        try? await threads.shutdownGracefully()
    }
}
