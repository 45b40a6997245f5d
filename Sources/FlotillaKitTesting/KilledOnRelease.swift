import Foundation
import Synchronization

/// A server process a test started: stopped with SIGKILL (as a crash would) and reaped, once,
/// by ``stop()`` or when the owner is released — so a test that throws early leaves nothing
/// running.
final class KilledOnRelease: Sendable {
    let pid: pid_t
    private let stopped = Atomic<Bool>(false)

    init(pid: pid_t) {
        self.pid = pid
    }

    /// Kill and reap the process. Idempotent.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Whether the process has exited on its own (it is reaped then).
    func exitedEarly() -> Bool {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return false }
        stopped.store(true, ordering: .relaxed)
        return true
    }

    deinit {
        stop()
    }
}
