import Crypto
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Files

@Suite("files: uploads and downloads")
struct UploadDownloadTests {
    static let text = Array("hello world\n".utf8)

    @Test(arguments: FilesHarness.Backend.allCases) func identicalContentIsStoredOnceAndDownloadsHonourETagAndRange(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend) { api in
            try await api.project("WEB", members: ["bob": "member"])
            let first = try await api.upload(Self.text, name: "notes.txt")
            #expect(first.status == .created, "\(first.text)")
            #expect(first.json["content_type"] as? String == "text/plain" && first.json["size"] as? Int == 12 && first.json["version"] as? Int == 1)
            let sha = SHA256.hash(data: Self.text).map { String(format: "%02x", $0) }.joined()
            #expect(first.json["sha256"] as? String == sha)
            let second = try await api.upload(Self.text, name: "copy.txt", as: "bob")
            #expect(second.status == .created && second.json["id"] as? String != first.json["id"] as? String)
            #expect(try await api.count("blobs") == 1, "the same bytes are one blob")
            #expect(try await api.count("files") == 2)

            let id = try #require(first.json["id"] as? String)
            let download = try await api.raw(.get, "/files/\(id)/content", as: "bob")
            #expect(download.status == .ok && download.bytes == Self.text)
            #expect(download.headers[.eTag] == "\"\(sha)\"" && download.headers[.contentType] == "text/plain")
            #expect(download.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff" && download.headers[.acceptRanges] == "bytes")
            #expect(download.headers[.contentDisposition] == #"attachment; filename="notes.txt"; filename*=UTF-8''notes.txt"#)
            #expect(try await api.raw(.get, "/files/\(id)/content", headers: [.ifNoneMatch: "\"\(sha)\""]).status == .notModified)
            #expect(try await api.raw(.get, "/files/\(id)/content", headers: [.ifNoneMatch: "\"other\""]).status == .ok)

            let head = try await api.raw(.get, "/files/\(id)/content", headers: [.range: "bytes=0-4"])
            #expect(head.status == .partialContent && head.bytes == Array("hello".utf8) && head.headers[.contentRange] == "bytes 0-4/12")
            let tail = try await api.raw(.get, "/files/\(id)/content", headers: [.range: "bytes=-6"])
            #expect(tail.status == .partialContent && tail.bytes == Array("world\n".utf8))
            let open = try await api.raw(.get, "/files/\(id)/content", headers: [.range: "bytes=6-"])
            #expect(open.bytes == Array("world\n".utf8) && open.headers[.contentRange] == "bytes 6-11/12")
            let several = try await api.raw(.get, "/files/\(id)/content", headers: [.range: "bytes=0-1,4-5"])
            #expect(several.status == .rangeNotSatisfiable && several.errorCode == "multiple_ranges" && several.headers[.contentRange] == "bytes */12")
            let beyond = try await api.raw(.get, "/files/\(id)/content", headers: [.range: "bytes=100-"])
            #expect(beyond.status == .rangeNotSatisfiable && beyond.errorCode == "range_not_satisfiable")

            let listed = try await api.send(.get, "/files?entity=task:WEB-1")
            #expect((listed.json["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["notes.txt", "copy.txt"])
        }
    }

    @Test(arguments: FilesHarness.Backend.allCases) func aNameOutsideASCIIIsSentSafely(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend) { api in
            try await api.project("WEB")
            let id = try #require(try await api.upload(Self.text, name: "résumé \"v2\".txt").json["id"] as? String)
            let disposition = try await api.raw(.get, "/files/\(id)/content").headers[.contentDisposition]
            #expect(disposition == #"attachment; filename="r_sum_ _v2_.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.txt"#, "\(disposition ?? "")")
            for bad in ["a%2Fb.txt", "", "tab%09name"] {
                let refused = try await api.raw(.post, "/files?entity=task:WEB-1&name=\(bad)", bytes: Self.text)
                #expect(refused.status == .badRequest && refused.errorCode == "invalid_query", "\(bad): \(refused.text)")
            }
        }
    }

    @Test(arguments: FilesHarness.Backend.allCases) func theContentDecidesTheTypeAndADisagreeingDeclarationIsRefused(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend) { api in
            try await api.project("WEB")
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 24)
            let accepted = try await api.upload(png, name: "logo.png", type: "image/png")
            #expect(accepted.status == .created && accepted.json["content_type"] as? String == "image/png")
            let undeclared = try await api.upload(png, name: "logo2.png")
            #expect(undeclared.json["content_type"] as? String == "image/png", "sniffed when nothing is declared")
            let csv = try await api.upload(Array("a,b\n1,2\n".utf8), name: "data.csv", type: "text/csv; charset=utf-8")
            #expect(csv.json["content_type"] as? String == "text/csv", "CSV is a kind of text")
            let lying = try await api.upload(png, name: "notes.txt", type: "text/plain")
            #expect(lying.status == .unsupportedMediaType && lying.errorCode == "content_type_mismatch", "\(lying.text)")
            let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + Array(repeating: 0, count: 56)
            let binary = try await api.upload(elf, name: "tool", type: "application/octet-stream")
            #expect(binary.status == .unsupportedMediaType && binary.errorCode == "content_type_not_allowed" && binary.text.contains("image/png"))
            #expect(try await api.count("files") == 3)
            let staging = try FileManager.default.contentsOfDirectory(atPath: api.storage + "/staging")
            #expect(staging.isEmpty, "refused uploads leave nothing behind: \(staging)")
        }
    }

    @Test(arguments: FilesHarness.Backend.allCases) func quotasAndTheSizeLimitRefuseWithWhatIsLeft(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend, environment: ["FILES_USER_QUOTA_BYTES": "100", "FILES_MAX_UPLOAD_BYTES": "2048"]) { api in
            try await api.project("WEB")
            #expect(try await api.upload(Array(repeating: UInt8(ascii: "a"), count: 60)).status == .created)
            let over = try await api.upload(Array(repeating: UInt8(ascii: "b"), count: 50))
            #expect(over.status == .contentTooLarge && over.errorCode == "quota_exceeded", "\(over.text)")
            #expect((over.json["details"] as? [String: Any])?["remaining_bytes"] as? Int == 40)
            let huge = try await api.upload(Array(repeating: UInt8(ascii: "c"), count: 3000))
            #expect(huge.status == .contentTooLarge && huge.errorCode == "payload_too_large")
            #expect(try await api.count("files") == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: api.storage + "/staging").isEmpty)
        }
    }

    @Test(arguments: FilesHarness.Backend.allCases) func newContentIsAVersionAndAnOldOneCanBeRestored(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend, environment: ["FILES_KEEP_VERSIONS": "2"]) { api in
            try await api.project("WEB", members: ["bob": "member"])
            let id = try #require(try await api.upload(Array("one\n".utf8), name: "plan.md", type: "text/markdown").json["id"] as? String)
            let refused = try await api.raw(.put, "/files/\(id)/content", bytes: Array("bob's\n".utf8), as: "bob")
            #expect(refused.status == .forbidden, "only the uploader, admins or a share with update: \(refused.text)")
            let second = try await api.raw(.put, "/files/\(id)/content?name=plan-v2.md", bytes: Array("two\n".utf8), headers: [.contentType: "text/markdown"])
            #expect(second.status == .ok && second.json["version"] as? Int == 2 && second.json["name"] as? String == "plan-v2.md", "\(second.text)")
            let versions = try #require(try await api.send(.get, "/files/\(id)/versions").json["data"] as? [[String: Any]])
            #expect(versions.compactMap { $0["number"] as? Int } == [2, 1])
            #expect(try await api.raw(.get, "/files/\(id)/versions/1/content").bytes == Array("one\n".utf8))
            let restored = try await api.send(.post, "/files/\(id)/versions/1/restore")
            #expect(restored.json["version"] as? Int == 3 && restored.json["name"] as? String == "plan.md", "\(restored.body)")
            #expect(try await api.raw(.get, "/files/\(id)/content").bytes == Array("one\n".utf8))
            let kept = try #require(try await api.send(.get, "/files/\(id)/versions").json["data"] as? [[String: Any]])
            #expect(kept.compactMap { $0["number"] as? Int } == [3, 2], "retention keeps the last two")
            #expect(try await api.send(.get, "/files/\(id)/versions/1/content").status == .notFound)
            #expect(try await api.send(.post, "/files/\(id)/versions/9/restore").status == .notFound)
        }
    }
}
