@preconcurrency import Foundation
import Synchronization

/// (Unchecked: the signal sources are only kept alive here, never touched after `init`.)
/// SIGINT and SIGTERM for a supervising CLI: caught from the moment this is made (so a
/// Ctrl-C during start-up still stops everything in order), and waited for with ``wait()``.
final class TerminationSignals: @unchecked Sendable {
    private final class Box: Sendable {
        struct State {
            var received: Int32?
            var waiter: CheckedContinuation<Int32, Never>?
        }
        let state = Mutex(State())
    }
    private let box = Box()
    private let sources: [any DispatchSourceSignal]

    init() {
        // A parent (a test runner) may have left them blocked.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        let queue = DispatchQueue(label: "flotilla.signals")
        let box = self.box
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let waiter = box.state.withLock { state -> CheckedContinuation<Int32, Never>? in
                    if state.received == nil { state.received = number }
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume(returning: number)
            }
            source.resume()
            return source
        }
    }

    /// Whether a signal has arrived.
    var received: Int32? { box.state.withLock { $0.received } }

    /// The first SIGINT or SIGTERM, at once if it already came.
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let already = box.state.withLock { state -> Int32? in
                if let received = state.received { return received }
                state.waiter = continuation
                return nil
            }
            if let already { continuation.resume(returning: already) }
        }
    }
}
