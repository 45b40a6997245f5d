import Foundation

/// Starts programs with an empty signal mask and default signal handlers. A test or CLI
/// process blocks signals for its own handling (SIGTERM for graceful shutdown), and children
/// inherit the mask: `pgbench -T` never sees its SIGALRM, and a daemon started by
/// `test-deps` ignores the SIGTERM of `test-deps stop`. Foundation's `Process` cannot reset
/// the mask, so these use `posix_spawnp`.
public enum CleanSpawn {
    /// Start `program` (looked up on PATH unless it has a slash) with `arguments`; with
    /// `output`, its stdout and stderr go to that descriptor and `closeInChild` is closed in
    /// the child. `environment` replaces this process's environment when given; with
    /// `ownProcessGroup` the child leads a new process group, so a terminal's Ctrl-C reaches
    /// only its parent, which then stops it in order. Returns the child's pid, or `nil` when
    /// it cannot be started.
    public static func spawn(
        _ program: String, _ arguments: [String], output: (descriptor: Int32, closeInChild: Int32)? = nil,
        environment: [String: String]? = nil, ownProcessGroup: Bool = false
    ) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output {
            posix_spawn_file_actions_adddup2(&actions, output.descriptor, 1)
            posix_spawn_file_actions_adddup2(&actions, output.descriptor, 2)
            posix_spawn_file_actions_addclose(&actions, output.closeInChild)
            // The original stays open otherwise, and a daemon the child starts would keep the
            // pipe open: its reader would never see the end.
            if output.descriptor > 2 { posix_spawn_file_actions_addclose(&actions, output.descriptor) }
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
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard let environment else {
            return posix_spawnp(&pid, program, &actions, &attributes, argv, environ) == 0 ? pid : nil
        }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        // posix_spawnp looks `program` up on the PATH of *this* process.
        return posix_spawnp(&pid, program, &actions, &attributes, argv, envp) == 0 ? pid : nil
    }

    /// A pipe whose ends are closed on exec, so children spawned at the same time by other
    /// threads do not inherit them (only `spawn`'s duplicates survive).
    public static func makePipe() -> (read: Int32, write: Int32)? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        // (pipe2 with O_CLOEXEC is not visible to Swift; the window before this is tiny.)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// Whether process `pid` exists and has not exited (a zombie — exited, not yet reaped,
    /// as daemons reparented to an init that does not reap become — counts as gone).
    public static func isRunning(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
        // The state letter follows the command name in parentheses.
        return !stat[close...].dropFirst(2).hasPrefix("Z")
    }

    /// Run `program` to completion and return its exit status (-1 for a signal) and its
    /// combined stdout and stderr. Blocks: call it off the cooperative pool.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        guard let pipe = makePipe() else { throw POSIXError(.EMFILE) }
        guard let pid = spawn(program, arguments, output: (descriptor: pipe.write, closeInChild: pipe.read), environment: environment) else {
            close(pipe.read)
            close(pipe.write)
            throw CannotStart(program: program)
        }
        close(pipe.write)
        let output = FileHandle(fileDescriptor: pipe.read, closeOnDealloc: true).readDataToEndOfFile()
        return (waitForExit(pid) ?? -1, String(decoding: output, as: UTF8.self))
    }

    /// A program that could not be started (not installed, or not on PATH).
    public struct CannotStart: Error, CustomStringConvertible {
        public let program: String
        public var description: String { "cannot run \(program): is it installed? (scripts/test-deps install)" }
    }

    /// Wait for `pid` to exit; its exit code, or `nil` when a signal ended it.
    public static func waitForExit(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }
}
