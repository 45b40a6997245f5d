import FlotillaKit
import FlotillaKitTesting
import Foundation
import Synchronization

/// One service binary run by `flotilla up`: started in its own process group with a clean
/// signal state, its output pumped to the merged log and its log file, restarted with
/// backoff when it dies unexpectedly, stopped with SIGTERM (SIGKILL after a grace period).
final class SupervisedService: @unchecked Sendable {
    let name: String
    let port: Int
    private let binary: URL
    private let environment: [String: String]
    private let printer: LogPrinter
    private let prefix: String
    private let logFile: URL
    private struct State {
        var pid: Int32?
        var stopping = false
        var restarts = 0
    }
    private let state = Mutex(State())
    /// Called after a restart (the launcher records the new pid).
    private let restartObserver = Mutex<(@Sendable () -> Void)?>(nil)

    func onRestart(_ observer: @escaping @Sendable () -> Void) {
        restartObserver.withLock { $0 = observer }
    }

    init(name: String, index: Int, port: Int, binary: URL, environment: [String: String], printer: LogPrinter, logFile: URL) {
        self.name = name
        self.port = port
        self.binary = binary
        self.environment = environment
        self.printer = printer
        self.prefix = printer.prefix(for: name, index: index)
        self.logFile = logFile
    }

    var pid: Int32? { state.withLock { $0.pid } }
    var url: String { "http://127.0.0.1:\(port)" }

    /// Start the process and keep it running until ``stop()``.
    func start() throws {
        guard let pipe = CleanSpawn.makePipe() else { throw FleetFailure("cannot create a pipe for \(name)") }
        guard let pid = CleanSpawn.spawn(
            binary.path, [], output: (descriptor: pipe.write, closeInChild: pipe.read), environment: environment, ownProcessGroup: true)
        else {
            close(pipe.read)
            close(pipe.write)
            throw FleetFailure("cannot start \(binary.path)")
        }
        close(pipe.write)
        state.withLock { $0.pid = pid }
        let reader = pipe.read
        Thread.detachNewThread { [self] in pump(reader) }
        Thread.detachNewThread { [self] in watch(pid) }
    }

    /// Copy the child's output, line by line, to the merged log and the service's file.
    private func pump(_ descriptor: Int32) {
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        if !FileManager.default.fileExists(atPath: logFile.path) {
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        }
        let file = try? FileHandle(forWritingTo: logFile)
        _ = try? file?.seekToEnd()
        var pending = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            file?.write(chunk)
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                printer.print(Substring(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)), prefix: prefix)
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        try? file?.close()
    }

    /// Wait for the child to exit; restart it with backoff unless it is being stopped.
    private func watch(_ pid: Int32) {
        let status = CleanSpawn.waitForExit(pid)
        let (stopping, restarts) = state.withLock { state -> (Bool, Int) in
            state.pid = nil
            if !state.stopping { state.restarts += 1 }
            return (state.stopping, state.restarts)
        }
        guard !stopping else { return }
        let delay = min(30, 1 << min(restarts - 1, 5))
        printer.say("\(name) exited (\(status.map { "status \($0)" } ?? "killed by a signal")); restarting in \(delay) s")
        Thread.sleep(forTimeInterval: Double(delay))
        guard !state.withLock({ $0.stopping }) else { return }
        do {
            try start()
            restartObserver.withLock { $0 }?()
        } catch {
            printer.say("\(name) could not be restarted: \(error)")
        }
    }

    /// SIGTERM, then SIGKILL after `grace`; returns once the process is gone.
    func stop(grace: Duration = .seconds(10)) async {
        guard let pid = state.withLock({ state -> Int32? in
            state.stopping = true
            return state.pid
        }) else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isAlive(pid) && state.withLock({ $0.pid }) != nil {
            if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
            }
            try? await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Poll `/ready` until it answers 200; throws when the process dies or `timeout` passes.
    func waitUntilReady(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? HealthcheckProbe(url: url + "/ready", timeoutSeconds: 1).run()) != nil { return }
            if state.withLock({ $0.pid == nil && $0.restarts > 0 }) {
                throw FleetFailure("\(name) exited while starting; its log is \(logFile.path)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw FleetFailure("\(name) was not ready after \(timeout); its log is \(logFile.path)")
    }
}
