import FlotillaKit
import Foundation
import Synchronization

/// A service binary started as a real child process, for tests of what only a process
/// shows: signals, exit codes, stdout.
public final class ServiceProcess: Sendable {
    private let pid: pid_t
    /// The exit status once the process has been reaped (128 + the signal when one ended it).
    private let exitStatus = Mutex<Int32?>(nil)
    private let output = OutputBuffer()
    /// Port the service listens on.
    public let port: Int

    /// The most memory the process has held resident so far (`VmHWM`), in bytes; nil once it is gone.
    public var peakResidentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kilobytes * 1024
    }

    /// Start `executable` (a product of this package) on a free loopback port with the
    /// extra `environment`. Started with posix_spawn (``CleanSpawn``): Foundation's `Process`
    /// crashed inside `run()` on a loaded suite.
    public init(executable: String, environment: [String: String] = [:], arguments: [String] = []) throws {
        let port = try FreePort.allocate()
        self.port = port
        let path = try Self.productURL(named: executable).path
        var variables = ProcessInfo.processInfo.environment
        variables["HOST"] = "127.0.0.1"
        variables["PORT"] = String(port)
        variables.merge(environment) { _, new in new }
        guard let pipe = CleanSpawn.makePipe() else { throw POSIXError(.EMFILE) }
        guard let pid = CleanSpawn.spawn(path, arguments, output: (descriptor: pipe.write, closeInChild: pipe.read), environment: variables) else {
            close(pipe.read)
            close(pipe.write)
            throw CleanSpawn.CannotStart(program: path)
        }
        close(pipe.write)
        self.pid = pid
        let output = self.output
        // The child's stdout and stderr, read until it closes them.
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(pipe.read, &buffer, buffer.count)
                if count <= 0 { break }
                output.append(String(decoding: buffer[..<count], as: UTF8.self))
            }
            close(pipe.read)
        }
    }

    /// Whether the process still runs (it is reaped, and its status kept, once it has exited).
    private var isRunning: Bool {
        exitStatus.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid { status = Self.decode(raw) }
            return reaped == 0
        }
    }

    private static func decode(_ raw: Int32) -> Int32 {
        raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
    }

    /// Base URL, e.g. `http://127.0.0.1:40123`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Everything the process wrote to stdout and stderr so far, split into lines.
    public var outputLines: [String] {
        output.text.split(separator: "\n").map(String.init)
    }

    /// Poll `path` until it answers 2xx; throws after `timeout`.
    public func waitUntilAnswering(_ path: String = "/live", timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard isRunning else { throw ProcessExited(status: exitStatus.withLock { $0 } ?? -1, output: outputLines) }
            if (try? HealthcheckProbe(url: baseURL + path, timeoutSeconds: 1).run()) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DeadlineExceeded(limit: timeout)
    }

    /// Send `signal` (e.g. `SIGTERM`).
    public func send(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Wait for the process to exit and return its status; kills it after `timeout`.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now >= deadline {
                stop()
                throw DeadlineExceeded(limit: timeout)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return exitStatus.withLock { $0 } ?? -1
    }

    /// Stop the process if it is still running (SIGKILL), and reap it.
    public func stop() {
        exitStatus.withLock { status in
            guard status == nil else { return }
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            status = Self.decode(raw)
        }
    }

    deinit {
        stop()
    }

    /// Run `executable` to completion (for one-shot subcommands) and return its exit status
    /// and combined output.
    public static func run(
        executable: String,
        environment: [String: String] = [:],
        arguments: [String] = []
    ) async throws -> (status: Int32, output: String) {
        try await BlockingWork.run { try runBlocking(executable: executable, environment: environment, arguments: arguments) }
    }

    static func runBlocking(executable: String, environment: [String: String], arguments: [String]) throws -> (status: Int32, output: String) {
        try CleanSpawn.run(
            try productURL(named: executable).path, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new })
    }

    /// The built product `name`, found beside the test bundle (or in `FLOTILLA_BIN_DIR`).
    public static func productURL(named name: String) throws -> URL {
        var directories = [URL]()
        if let override = ProcessInfo.processInfo.environment["FLOTILLA_BIN_DIR"] {
            directories.append(URL(fileURLWithPath: override))
        }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        directories.append(testBinary.deletingLastPathComponent())
        directories.append(testBinary.deletingLastPathComponent().deletingLastPathComponent())
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ToolMissing(tool: name, hint: "build it first with `swift build` (looked in \(directories.map(\.path)))")
    }
}

/// The child process exited before it was expected to.
public struct ProcessExited: Error, CustomStringConvertible {
    public let status: Int32
    public let output: [String]
    public var description: String { "process exited with status \(status):\n" + output.joined(separator: "\n") }
}

/// Text a child process has written, appended from the pipe's reader thread.
private final class OutputBuffer: Sendable {
    private let storage = Mutex<String>("")

    func append(_ text: String) {
        storage.withLock { $0 += text }
    }

    var text: String {
        storage.withLock { $0 }
    }
}
