import Foundation

/// Starts programs with an empty signal mask and default signal handlers. A test or CLI
/// process blocks signals for its own handling (SIGTERM for graceful shutdown), and children
/// inherit the mask: `pgbench -T` never sees its SIGALRM, and a daemon started by
/// `test-deps` ignores the SIGTERM of `test-deps stop`. Foundation's `Process` cannot reset
/// the mask, so these use `posix_spawnp`.
public enum CleanSpawn {
    /// Start `program` (looked up on PATH unless it has a slash) with `arguments`; with
    /// `output`, its stdout and stderr go to that descriptor and `closeInChild` is closed in
    /// the child. Returns the child's pid, or `nil` when it cannot be started.
    public static func spawn(_ program: String, _ arguments: [String], output: (descriptor: Int32, closeInChild: Int32)? = nil) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output {
            posix_spawn_file_actions_adddup2(&actions, output.descriptor, 1)
            posix_spawn_file_actions_adddup2(&actions, output.descriptor, 2)
            posix_spawn_file_actions_addclose(&actions, output.closeInChild)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        return posix_spawnp(&pid, program, &actions, &attributes, argv, environ) == 0 ? pid : nil
    }

    /// Wait for `pid` to exit; its exit code, or `nil` when a signal ended it.
    public static func waitForExit(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }
}
