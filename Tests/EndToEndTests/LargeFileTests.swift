import Crypto
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HummingbirdTesting
import Testing

/// A 200 MB file up and down, straight to files and through the gateway, with curl as the
/// client (chunked from a pipe, and as a multipart form): both processes stream it, so neither holds more than 64 MB
/// resident at its peak.
@Suite("end to end: large files", .serialized)
struct LargeFileTests {
    static let size = 200 << 20
    static let memoryCeiling = 64 << 20

    /// Projects, tasks, files and the gateway (with `gatewayEnvironment`), a project WEB with
    /// task WEB-1 owned by alice, and alice's token.
    struct Fleet: Sendable {
        let files: ServiceProcess
        let gateway: ServiceProcess
        let token: String
    }

    static func withFleet(gatewayEnvironment: [String: String] = [:], _ body: @escaping @Sendable (Fleet) async throws -> Void) async throws {
        let issuer = try await TestTokenIssuer()
        try await issuer.jwksServer().application.test(.live) { jwks in
            let authURL = "http://127.0.0.1:\(try #require(jwks.port))"
            let neighbours = NeighbourServices(tag: "large", authURL: authURL)
            let projects = try await neighbours.start("projects")
            defer { projects.stop() }
            let tasks = try await neighbours.start("tasks", ["PROJECTS_SERVICE_URL": projects.baseURL])
            defer { tasks.stop() }
            let storage = NSTemporaryDirectory() + "large-files-\(neighbours.unique)"
            defer { try? FileManager.default.removeItem(atPath: storage) }
            let files = try await neighbours.start("files", [
                "PROJECTS_SERVICE_URL": projects.baseURL, "TASKS_SERVICE_URL": tasks.baseURL, "FILES_STORAGE_PATH": storage,
            ])
            defer { files.stop() }
            let gateway = try ServiceProcess(executable: "gateway", environment: [
                "REDIS_URL": try TestRedis.url(), "LOG_LEVEL": "warning", "AUTH_SERVICE_URL": authURL, "FILES_SERVICE_URL": files.baseURL,
                "GATEWAY_REDIS_PREFIX": "test:large:\(neighbours.unique):",
            ].merging(gatewayEnvironment) { $1 })
            defer { gateway.stop() }
            try await gateway.waitUntilAnswering("/ready")
            let client = NeighbourClient(issuer: issuer)
            try await client.project("WEB", in: projects, owner: "alice", members: [:])
            try await client.call(tasks, "POST", "/tasks", json: #"{"project": "WEB", "title": "Big data"}"#, as: "alice")
            try await body(Fleet(files: files, gateway: gateway, token: try await issuer.token(subject: "alice", roles: [.member])))
        }
    }

    @Test func twoHundredMegabytesStreamThroughFilesAndTheGatewayInBoundedMemory() async throws {
        try await Self.withFleet { fleet in
            let (files, gateway, token) = (fleet.files, fleet.gateway, fleet.token)
            // The client side never touches the disk: `yes | head` makes the bytes, sha256sum
            // checks what comes back.
            let digest = Self.digest(size: Self.size)
            let raw = "-T - -X POST -H 'Content-Type: text/plain'"
            // As a browser's form sends it: one multipart/form-data part named file.
            let form = "-F 'file=@-;filename=form.txt;type=text/plain'"
            for (name, base, upload) in [
                ("direct", files.baseURL, raw), ("gateway", gateway.baseURL + "/api/v1", raw), ("form", gateway.baseURL + "/api/v1", form),
            ] {
                let uploaded = try await Shell.run(
                    "yes '\(Self.line)' | head -c \(Self.size) | curl -sS --fail-with-body --max-time 600 \(upload) "
                        + "'\(base)/files?entity=task:WEB-1&name=\(name).txt' -H 'Authorization: Bearer \(token)'",
                    pipefail: false)
                let file = try #require(
                    (try? JSONSerialization.jsonObject(with: Data(uploaded.utf8))) as? [String: Any], "\(name): \(uploaded.prefix(300))")
                #expect(file["size"] as? Int == Self.size && file["sha256"] as? String == digest, "\(name): \(file)")
                let id = try #require(file["id"] as? String)
                let downloaded = try await Shell.run(
                    "curl -sS --fail --max-time 600 '\(base)/files/\(id)/content' -H 'Authorization: Bearer \(token)' | sha256sum")
                #expect(downloaded.hasPrefix(digest), "\(name): the download is the upload")
            }
            for (name, process) in [("files", files), ("gateway", gateway)] {
                let peak = try #require(process.peakResidentBytes)
                #expect(peak < Self.memoryCeiling, "\(name) peaked at \(peak >> 20) MB resident")
            }
        }
    }

    /// A client that stops sending halfway through an upload gets 408 once the route's idle
    /// time passes; the upstream call is abandoned and the gateway goes on serving.
    @Test func aClientThatStallsMidUploadIsCutOff() async throws {
        let table = NSTemporaryDirectory() + "stall-routes-\(UUID().uuidString).json"
        try #"{"routes": [{"prefix": "/api/v1/files", "upstream": "files", "rewrite": "/files", "stream": true, "timeout_ms": 1000}]}"#
            .write(toFile: table, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: table) }
        try await Self.withFleet(gatewayEnvironment: ["GATEWAY_ROUTES": table]) { fleet in
            let connection = try RawHTTPConnection(port: fleet.gateway.port)
            let head = "POST /api/v1/files?entity=task:WEB-1&name=stalled.txt HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(fleet.token)\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n"
            try await connection.send(Array(head.utf8) + Array(repeating: UInt8(ascii: "a"), count: 100_000))
            let response = try await connection.readResponse()
            #expect(response.hasPrefix("HTTP/1.1 408"), "\(response.prefix(300))")
            #expect(response.contains("request_timeout"))
            #expect(try await HTTPTestClient.send("GET", fleet.gateway.baseURL + "/ready").status == 200)
            let listed = try await HTTPTestClient.send(
                "GET", fleet.files.baseURL + "/files?entity=task:WEB-1", headers: [("Authorization", "Bearer \(fleet.token)")])
            #expect(listed.body.contains(#""data":[]"#), "nothing was stored: \(listed.body)")
        }
    }

    /// The line the file repeats.
    static let line = "The quick brown fox jumps over the lazy dog, again and again and again."

    /// The SHA-256 of `yes line | head -c size`.
    static func digest(size: Int) -> String {
        var hasher = SHA256()
        let block = Array(repeating: Array((line + "\n").utf8), count: (1 << 20) / (line.utf8.count + 1)).flatMap { $0 }
        var hashed = 0
        while hashed < size {
            let piece = block.prefix(size - hashed)
            hasher.update(data: Data(piece))
            hashed += piece.count
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// A shell pipeline (curl with `yes` and `sha256sum`), run off the test's threads.
enum Shell {
    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        let output: String
        var description: String { "the pipeline exited \(status): \(output.prefix(500))" }
    }

    /// Run `script`; its output. With `pipefail` any failing command fails it; without, the
    /// last command's status counts (`yes | head` ends `yes` with SIGPIPE, as it should).
    static func run(_ script: String, pipefail: Bool = true) async throws -> String {
        let (status, output) = try await BlockingWork.run { try CleanSpawn.run("/bin/bash", (pipefail ? ["-o", "pipefail"] : []) + ["-c", script]) }
        guard status == 0 else { throw Failure(status: status, output: output) }
        return output
    }
}
