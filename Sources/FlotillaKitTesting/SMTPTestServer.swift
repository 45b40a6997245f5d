import FlotillaKit
import Foundation

/// A real SMTP server for a test: Python's `aiosmtpd` (PyPI; `scripts/test-deps install`
/// installs it) on a free loopback port. Each accepted message is written to a directory as
/// it arrived; the first `refusing` messages are refused with a temporary failure (451), as a
/// busy relay would, so retries can be tested.
public final class SMTPTestServer: Sendable {
    public let port: Int
    public let directory: String
    private let process: KilledOnRelease

    public init(refusing: Int = 0) async throws {
        port = try FreePort.allocate()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard let pid = CleanSpawn.spawn("python3", ["-c", Self.script, String(port), directory, String(refusing)]) else {
            throw ToolMissing(tool: "python3", hint: "scripts/test-deps install")
        }
        process = KilledOnRelease(pid: pid)
        try await waitUntilListening("127.0.0.1:\(port)")
    }

    /// `smtp://127.0.0.1:PORT`.
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// The messages accepted so far, in arrival order, as received (RFC 5322 text).
    public func messages() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".eml") }.sorted()
            .map { try String(contentsOfFile: "\(directory)/\($0)", encoding: .utf8) }
    }

    /// How many messages were refused.
    public func refusals() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".refused") }.count
    }

    /// Stop the server. Idempotent; a test that throws first still leaves nothing running.
    public func stop() {
        process.stop()
    }

    private func waitUntilListening(_ address: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? RawHTTPConnection(port: port, readTimeoutSeconds: 1)) != nil { return }
            if process.exitedEarly() {
                throw ToolMissing(tool: "aiosmtpd", hint: "python3 -m pip install aiosmtpd (scripts/test-deps install does)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProcessExited(status: -1, output: ["aiosmtpd did not listen on \(address)"])
    }

    static let script = #"""
        import asyncio, os, sys, time
        from aiosmtpd.controller import Controller
        port, directory, refusing = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
        class Handler:
            def __init__(self):
                self.count = 0
            async def handle_DATA(self, server, session, envelope):
                self.count += 1
                name = os.path.join(directory, "%06d" % self.count)
                if self.count <= refusing:
                    open(name + ".refused", "w").close()
                    return "451 4.3.0 Try again later"
                with open(name + ".tmp", "wb") as file:
                    file.write(b"X-Envelope-From: " + envelope.mail_from.encode() + b"\r\n")
                    file.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
                    file.write(envelope.original_content)
                os.rename(name + ".tmp", name + ".eml")
                return "250 Message accepted"
        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        while True:
            time.sleep(3600)
        """#
}
