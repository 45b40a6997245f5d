import FlotillaKit
import Foundation
import Synchronization

/// A service binary started as a real child process, for tests of what only a process
/// shows: signals, exit codes, stdout.
public final class ServiceProcess: Sendable {
    private let process: Process
    private let output = OutputBuffer()
    /// Port the service listens on.
    public let port: Int

    /// Start `executable` (a product of this package) on a free loopback port with the
    /// extra `environment`.
    public init(executable: String, environment: [String: String] = [:], arguments: [String] = []) throws {
        let port = try FreePort.allocate()
        self.port = port
        let process = Process()
        process.executableURL = try Self.productURL(named: executable)
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        variables["HOST"] = "127.0.0.1"
        variables["PORT"] = String(port)
        variables.merge(environment) { _, new in new }
        process.environment = variables
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        self.process = process
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            if !data.isEmpty { output.append(String(decoding: data, as: UTF8.self)) }
        }
        try ProcessLaunch.run(process)
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
            guard process.isRunning else { throw ProcessExited(status: process.terminationStatus, output: outputLines) }
            if (try? HealthcheckProbe(url: baseURL + path, timeoutSeconds: 1).run()) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DeadlineExceeded(limit: timeout)
    }

    /// Send `signal` (e.g. `SIGTERM`).
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Wait for the process to exit and return its status; kills it after `timeout`.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.terminate()
                throw DeadlineExceeded(limit: timeout)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Stop the process if it is still running.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
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
        let process = Process()
        process.executableURL = try productURL(named: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try ProcessLaunch.run(process)
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
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
