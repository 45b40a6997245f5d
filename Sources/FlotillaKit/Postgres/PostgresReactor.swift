import Synchronization

/// The thread that waits for PostgreSQL's answers, for every connection of the process.
///
/// A statement is sent by its caller (libpq in nonblocking mode only queues and writes);
/// the caller then suspends while its connection's socket is armed in one epoll set. When
/// the socket is readable this thread reads what arrived and takes every result that is
/// complete (``PostgresExchange/advance(_:)``); when the exchange's last sync has arrived
/// the caller resumes with its results. No thread is held while the server works, and one
/// wake-up serves every connection whose answer came in together. See docs/adr/024.
final class PostgresReactor: @unchecked Sendable {
    /// The process's reactor, started on first use; it lives as long as the process.
    static let shared = PostgresReactor()

    private let poller = SocketPoller(purpose: "the PostgreSQL connections")
    /// Exchanges waiting for their answers, by socket; a connection has one at a time.
    private let waiting = Mutex<[Int32: PostgresExchange]>([:])
    private let thread = BlockingCallPool(threadCount: 1)

    private init() {
        let reactor = Unmanaged.passUnretained(self)
        Task { [thread] in
            _ = try? await thread.run { reactor.takeUnretainedValue().runLoop() }
        }
    }

    /// Wait until `exchange` has every result it expects, or its connection fails; its results.
    func complete(_ exchange: PostgresExchange) async -> PostgresResultQueue {
        await withCheckedContinuation { continuation in
            exchange.continuation = continuation
            let socket = exchange.socket
            waiting.withLock { $0[socket] = exchange }
            if !poller.arm(socket, for: exchange.interest) { abandon(exchange) }
        }
    }

    private func runLoop() {
        while true {
            for readiness in poller.wait(milliseconds: -1) {
                guard let exchange = waiting.withLock({ $0[readiness.socket] }) else { continue }
                if exchange.advance(readiness.events) {
                    waiting.withLock { $0[readiness.socket] = nil }
                    exchange.finish()
                } else if !poller.arm(readiness.socket, for: exchange.interest) {
                    abandon(exchange)
                }
            }
        }
    }

    /// End an exchange whose socket the kernel would not watch.
    private func abandon(_ exchange: PostgresExchange) {
        waiting.withLock { $0[exchange.socket] = nil }
        exchange.fail(PostgresError(.connectionLost, message: "cannot watch the connection's socket"))
    }
}
