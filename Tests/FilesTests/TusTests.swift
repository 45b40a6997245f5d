import Crypto
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Files

@Suite("files: resumable uploads (tus 1.0)")
struct TusTests {
    static let tus: HTTPFields = [HTTPField.Name("Tus-Resumable")!: "1.0.0"]
    static let chunkType: HTTPFields = [HTTPField.Name("Tus-Resumable")!: "1.0.0", .contentType: "application/offset+octet-stream"]

    static func metadata(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0) \(Data($0.1.utf8).base64EncodedString())" }.joined(separator: ",")
    }

    static func headers(_ base: HTTPFields, _ extra: [(String, String)]) -> HTTPFields {
        var headers = base
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        return headers
    }

    /// Start an upload of `length` bytes; its path.
    static func start(_ api: FilesHarness.Context, length: Int, name: String = "big.txt") async throws -> String {
        let created = try await api.raw(.post, "/uploads", headers: headers(tus, [
            ("Upload-Length", String(length)), ("Upload-Metadata", metadata([("entity", "task:WEB-1"), ("filename", name), ("filetype", "text/plain")])),
        ]))
        #expect(created.status == .created && created.headers[HTTPField.Name("Tus-Resumable")!] == "1.0.0", "\(created.text)")
        #expect(created.headers[HTTPField.Name("Upload-Expires")!]?.hasSuffix(" GMT") == true)
        return try #require(created.headers[.location])
    }

    static func offset(_ api: FilesHarness.Context, _ path: String) async throws -> Int? {
        try await api.raw(.head, path, headers: tus).headers[HTTPField.Name("Upload-Offset")!].flatMap { Int($0) }
    }

    @Test(arguments: FilesHarness.Backend.allCases) func anUploadInChunksWithChecksumsBecomesAFileAndEveryErrorIsTus(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend) { api in
            try await api.project("WEB")
            let options = try await api.raw(.options, "/uploads")
            #expect(options.headers[HTTPField.Name("Tus-Version")!] == "1.0.0" && options.headers[HTTPField.Name("Tus-Checksum-Algorithm")!] == "sha256")
            #expect(options.headers[HTTPField.Name("Tus-Extension")!] == "creation,expiration,termination,checksum")
            let content = Array((0..<3000).map { UInt8(ascii: "a") + UInt8($0 % 26) })
            let path = try await Self.start(api, length: content.count)
            #expect(try await Self.offset(api, path) == 0)

            let noVersion = try await api.raw(.patch, path, bytes: Array(content[0..<10]), headers: [.contentType: "application/offset+octet-stream", HTTPField.Name("Upload-Offset")!: "0"])
            #expect(noVersion.status == .preconditionFailed && noVersion.headers[HTTPField.Name("Tus-Version")!] == "1.0.0")
            let wrongType = try await api.raw(.patch, path, bytes: Array(content[0..<10]), headers: Self.headers(Self.tus, [("Upload-Offset", "0"), ("Content-Type", "text/plain")]))
            #expect(wrongType.status == .unsupportedMediaType)
            let wrongOffset = try await api.raw(.patch, path, bytes: Array(content[0..<10]), headers: Self.headers(Self.chunkType, [("Upload-Offset", "5")]))
            #expect(wrongOffset.status == .conflict && wrongOffset.headers[HTTPField.Name("Upload-Offset")!] == "0")

            let first = Array(content[0..<1000])
            let checksum = "sha256 " + Data(SHA256.hash(data: first)).base64EncodedString()
            let ok = try await api.raw(.patch, path, bytes: first, headers: Self.headers(Self.chunkType, [("Upload-Offset", "0"), ("Upload-Checksum", checksum)]))
            #expect(ok.status == .noContent && ok.headers[HTTPField.Name("Upload-Offset")!] == "1000", "\(ok.text)")
            let corrupt = try await api.raw(.patch, path, bytes: Array(content[1000..<2000]), headers: Self.headers(Self.chunkType, [("Upload-Offset", "1000"), ("Upload-Checksum", checksum)]))
            #expect(corrupt.status.code == 460 && corrupt.errorCode == "checksum_mismatch")
            #expect(try await Self.offset(api, path) == 1000, "a chunk that fails its checksum is not kept")
            let unknownAlgorithm = try await api.raw(.patch, path, bytes: [1], headers: Self.headers(Self.chunkType, [("Upload-Offset", "1000"), ("Upload-Checksum", "md5 abc=")]))
            #expect(unknownAlgorithm.status == .badRequest)
            let rest = try await api.raw(.patch, path, bytes: Array(content[1000...]), headers: Self.headers(Self.chunkType, [("Upload-Offset", "1000")]))
            #expect(rest.status == .noContent && rest.headers[HTTPField.Name("Upload-Offset")!] == "3000")
            let fileID = try #require(rest.headers[HTTPField.Name("Flotilla-File-Id")!])
            #expect(try await api.raw(.get, "/files/\(fileID)/content").bytes == content)
            let name = String(try #require(path.split(separator: "/").last))
            await #expect(throws: (any Error).self, "the chunks go once they are a file") { try await api.store.stagePartial(name, length: 1000) }
            #expect(try await api.raw(.head, path, headers: Self.tus).headers[HTTPField.Name("Flotilla-File-Id")!] == fileID)
            #expect(try await api.raw(.head, path, as: "bob", headers: Self.tus).status == .notFound, "someone else's upload")
            let tooLong = try await api.raw(.post, "/uploads", headers: Self.headers(Self.tus, [("Upload-Length", String(1 << 41)), ("Upload-Metadata", Self.metadata([("entity", "task:WEB-1"), ("filename", "x")]))]))
            #expect(tooLong.status == .contentTooLarge)
            let noMetadata = try await api.raw(.post, "/uploads", headers: Self.headers(Self.tus, [("Upload-Length", "10")]))
            #expect(noMetadata.status == .badRequest && noMetadata.text.contains("entity") && noMetadata.text.contains("filename"))
        }
    }

    @Test(arguments: FilesHarness.Backend.allCases) func anUploadResumesAfterTheConnectionDropsMidway(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend) { api in
            try await api.project("WEB")
            let content = Array((0..<200_000).map { UInt8(ascii: "a") + UInt8($0 % 26) })
            let path = try await Self.start(api, length: content.count)
            // Declare the whole body, send 60 000 bytes, and hang up.
            let connection = try RawHTTPConnection(port: api.api.client.port!)
            let head = "PATCH \(path) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(try await api.token("alice"))\r\nTus-Resumable: 1.0.0\r\n"
                + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: \(content.count)\r\n\r\n"
            try await connection.send(Array(head.utf8) + Array(content[0..<60_000]))
            connection.hangUp()
            try await waitUntil("the bytes that arrived are kept") { (try await Self.offset(api, path) ?? 0) > 0 }
            let kept = try #require(try await Self.offset(api, path))
            #expect(kept <= 60_000)
            let rest = try await api.raw(.patch, path, bytes: Array(content[kept...]), headers: Self.headers(Self.chunkType, [("Upload-Offset", String(kept))]))
            #expect(rest.status == .noContent, "\(rest.text)")
            let fileID = try #require(rest.headers[HTTPField.Name("Flotilla-File-Id")!])
            #expect(try await api.raw(.get, "/files/\(fileID)/content").bytes == content)
        }
    }

    @Test(arguments: FilesHarness.Backend.allCases) func terminatedAndExpiredUploadsAreGone(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend, environment: ["FILES_UPLOAD_EXPIRY_SECONDS": "1", "FILES_GC_INTERVAL_SECONDS": "0.2"]) { api in
            try await api.project("WEB")
            let terminated = try await Self.start(api, length: 10)
            let half = try await api.raw(.patch, terminated, bytes: Array("01234".utf8), headers: Self.headers(Self.chunkType, [("Upload-Offset", "0")]))
            #expect(half.status == .noContent)
            #expect(try await api.raw(.delete, terminated, headers: Self.tus).status == .noContent)
            let name = String(try #require(terminated.split(separator: "/").last))
            await #expect(throws: (any Error).self, "the received bytes are gone from the store") { try await api.store.stagePartial(name, length: 5) }
            #expect(try await api.raw(.head, terminated, headers: Self.tus).status == .notFound)
            let expiring = try await Self.start(api, length: 10)
            try await waitUntil("the upload expires") { try await api.raw(.head, expiring, headers: Self.tus).status == .notFound }
            let late = try await api.raw(.patch, expiring, bytes: Array("0123456789".utf8), headers: Self.headers(Self.chunkType, [("Upload-Offset", "0")]))
            #expect(late.status == .notFound)
            try await waitUntil("housekeeping removes it") { try await api.count("uploads") == 0 }
        }
    }
}
