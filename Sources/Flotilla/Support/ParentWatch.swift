import Foundation

/// Stops a supervising command when the process that started it is gone: Linux hands an
/// orphan to another parent (init or a subreaper), so a change of `getppid()` means the
/// parent exited — even by SIGKILL or a crash, when it could not stop its children itself.
/// The command is then sent SIGTERM, which it already handles by stopping in order.
enum ParentWatch {
    /// Poll every `interval`; once the parent changed, call `announce` and send this process
    /// SIGTERM. Cancel the task to stop watching.
    static func start(every interval: Duration = .milliseconds(250), announce: @escaping @Sendable () -> Void) -> Task<Void, Never> {
        let parent = getppid()
        return Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, getppid() != parent else { continue }
                announce()
                kill(getpid(), SIGTERM)
                return
            }
        }
    }
}
