import Foundation
import Synchronization

/// Foundation's `Process.run()` on Linux is not safe to call from several threads at once:
/// a loaded suite crashed inside it (a bad pointer in `memmove`). Every launch through
/// `Process` in the test kit goes through here, one at a time; tools that need no more than
/// their output use ``CleanSpawn`` (posix_spawn) instead.
public enum ProcessLaunch {
    private static let lock = Mutex<Void>(())

    /// Start `process`, after any other launch in progress.
    public static func run(_ process: Process) throws {
        try lock.withLock { _ in try process.run() }
    }
}
