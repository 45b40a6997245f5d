import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Files

@Suite("files: multipart/form-data uploads")
struct MultipartUploadTests {
    static let boundary = "flotilla-form-boundary-1f2e3d"

    /// A form: each field's name, file name (for a file), content type and bytes.
    static func form(_ fields: [(name: String, filename: String?, type: String?, bytes: [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for field in fields {
            var headers = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field.name)\""
            if let filename = field.filename { headers += "; filename=\"\(filename)\"" }
            if let type = field.type { headers += "\r\nContent-Type: \(type)" }
            body += Array("\(headers)\r\n\r\n".utf8) + field.bytes + Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    static let formType: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
    static let spec = Array("# Spec\n\nWhat we build.\n".utf8)

    @Test(arguments: FilesHarness.Backend.allCases) func aFormUploadIsNamedByItsFileAndCheckedLikeAnyOther(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend) { api in
            try await api.project("WEB")
            let uploaded = try await api.raw(
                .post, "/files?entity=task:WEB-1", bytes: Self.form([("file", "spec.md", "text/markdown", Self.spec)]), headers: Self.formType)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            #expect(uploaded.json["name"] as? String == "spec.md" && uploaded.json["content_type"] as? String == "text/markdown")
            #expect(uploaded.json["size"] as? Int == Self.spec.count)
            let id = try #require(uploaded.json["id"] as? String)
            #expect(try await api.raw(.get, "/files/\(id)/content").bytes == Self.spec)

            let named = try await api.raw(
                .post, "/files?entity=task:WEB-1",
                bytes: Self.form([("name", nil, nil, Array("decided.md".utf8)), ("file", "draft.md", "text/markdown", Self.spec), ("after", nil, nil, [1])]),
                headers: Self.formType)
            #expect(named.json["name"] as? String == "decided.md", "a name field before the file names it: \(named.text)")

            let version = try await api.raw(
                .put, "/files/\(id)/content", bytes: Self.form([("file", "upload (1).md", nil, Array("# Spec v2\n".utf8))]), headers: Self.formType)
            #expect(version.status == .ok && version.json["version"] as? Int == 2, "\(version.text)")
            #expect(version.json["name"] as? String == "spec.md", "a new version keeps the file's name")
        }
    }

    @Test(arguments: FilesHarness.Backend.allCases) func aBadFormIsRefusedAndLeavesNothing(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend) { api in
            try await api.project("WEB")
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 24)
            let lying = try await api.raw(.post, "/files?entity=task:WEB-1", bytes: Self.form([("file", "a.txt", "text/plain", png)]), headers: Self.formType)
            #expect(lying.status == .unsupportedMediaType && lying.errorCode == "content_type_mismatch", "\(lying.text)")

            let noFile = try await api.raw(.post, "/files?entity=task:WEB-1", bytes: Self.form([("name", nil, nil, Array("x.txt".utf8))]), headers: Self.formType)
            #expect(noFile.status == .badRequest && noFile.errorCode == "invalid_multipart" && noFile.text.contains("part named file"))

            let unnamed = try await api.raw(.post, "/files?entity=task:WEB-1", bytes: Self.form([("file", "", nil, Self.spec)]), headers: Self.formType)
            #expect(unnamed.status == .badRequest && unnamed.errorCode == "invalid_multipart" && unnamed.text.contains("file name"))

            let whole = Self.form([("file", "cut.txt", "text/plain", Array(repeating: UInt8(ascii: "z"), count: 5000))])
            let cut = try await api.raw(.post, "/files?entity=task:WEB-1", bytes: Array(whole.dropLast(60)), headers: Self.formType)
            #expect(cut.status == .badRequest && cut.errorCode == "invalid_multipart", "a body cut short is not stored: \(cut.text)")

            let rawWithoutName = try await api.raw(.post, "/files?entity=task:WEB-1", bytes: Self.spec, headers: [.contentType: "text/plain"])
            #expect(rawWithoutName.status == .badRequest && rawWithoutName.errorCode == "invalid_query", "a raw body still needs ?name=")

            #expect(try await api.count("files") == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: api.storage + "/staging").isEmpty, "nothing is left half-written")
        }
    }
}
