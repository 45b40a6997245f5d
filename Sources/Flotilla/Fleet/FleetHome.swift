import FlotillaKitTesting
import Foundation

/// The directory `flotilla up` keeps its state in (`.flotilla` by default): the database
/// cluster, Redis's files, the signing keys, one log per service, and `run.json` naming
/// what is running so `down`, `status` and `logs` work from another terminal.
struct FleetHome: Sendable {
    let root: URL

    init(path: String) {
        root = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardized
    }

    var postgres: URL { root.appendingPathComponent("postgres") }
    var redis: URL { root.appendingPathComponent("redis") }
    var keys: URL { root.appendingPathComponent("keys/auth") }
    var logs: URL { root.appendingPathComponent("logs") }
    /// Where notifications writes emails as `.eml` files (no SMTP relay locally).
    var mail: URL { root.appendingPathComponent("mail") }
    /// The files service's blobs.
    var files: URL { root.appendingPathComponent("files") }
    var runRecord: URL { root.appendingPathComponent("run.json") }
    /// The orders service's client secret, declared to auth too, so orders can put stock back
    /// as it does in a cluster; made once per home, readable by its owner only.
    var ordersClientSecret: URL { root.appendingPathComponent("secrets/orders-client-secret") }

    func log(of service: String) -> URL {
        logs.appendingPathComponent("\(service).log")
    }

    /// Marks a service's demo data as loaded, so later starts skip the seed.
    func seedMarker(of service: String) -> URL {
        root.appendingPathComponent("seeded/\(service)")
    }

    func create() throws {
        for directory in [root, postgres.deletingLastPathComponent(), redis, keys, logs, root.appendingPathComponent("seeded")] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        try createSecretIfMissing(ordersClientSecret)
    }

    /// 256 random bits as hex, written with mode 600 unless the file exists.
    private func createSecretIfMissing(_ file: URL) throws {
        guard !FileManager.default.fileExists(atPath: file.path) else { return }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        guard FileManager.default.createFile(atPath: file.path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
    }

    /// A secret made by ``create()``, or `nil` when it cannot be read.
    func secret(at file: URL) -> String? {
        (try? String(contentsOf: file, encoding: .utf8)).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// What a running `flotilla up` started, written once everything is up.
    struct RunRecord: Codable, Sendable {
        struct Service: Codable, Sendable {
            let name: String
            let port: Int
            var pid: Int32
        }

        let profile: String
        /// The `flotilla up` process that supervises the rest.
        let supervisor: Int32
        let postgresPort: Int
        let redisPort: Int
        var redisPID: Int32?
        var services: [Service]
    }

    func readRecord() -> RunRecord? {
        guard let data = try? Data(contentsOf: runRecord) else { return nil }
        return try? JSONDecoder().decode(RunRecord.self, from: data)
    }

    func write(_ record: RunRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(record).write(to: runRecord, options: .atomic)
    }

    func removeRecord() {
        try? FileManager.default.removeItem(at: runRecord)
    }
}

/// Whether process `pid` is running (zombies count as gone).
func isAlive(_ pid: Int32) -> Bool {
    CleanSpawn.isRunning(pid)
}
