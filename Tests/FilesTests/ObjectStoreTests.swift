import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Files

/// What only the S3 backend can get wrong: signatures, an unreachable store, lost objects,
/// its settings. (Everything else runs against it in the other suites, once per backend.)
@Suite("files: the S3-compatible object store")
struct ObjectStoreTests {
    @Test func aWrongSecretIsRefusedByTheStoreAndNothingIsWritten() async throws {
        try await FilesHarness.run(.s3, environment: ["FILES_S3_SECRET_ACCESS_KEY": "not-the-secret"]) { api in
            try await api.project("WEB")
            let refused = try await api.upload(Array("signed wrongly\n".utf8))
            #expect(refused.status == .serviceUnavailable && refused.errorCode == "storage_unavailable", "\(refused.text)")
            let files = try await api.count("files")
            let blobs = try await api.count("blobs")
            #expect(files == 0 && blobs == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: api.storage + "/staging").isEmpty, "the spooled copy is dropped")
        }
    }

    @Test func anUnreachableStoreIsA503AndTheUploadCanBeRepeatedLater() async throws {
        let closed = "http://127.0.0.1:\(try FreePort.allocate())"
        try await FilesHarness.run(.s3, environment: ["FILES_S3_ENDPOINT": closed, "FILES_S3_TIMEOUT_SECONDS": "5"]) { api in
            try await api.project("WEB")
            let refused = try await api.upload(Array("nowhere to go\n".utf8))
            #expect(refused.status == .serviceUnavailable && refused.errorCode == "storage_unavailable", "\(refused.text)")
            #expect(try await api.count("files") == 0)
        }
    }

    @Test func contentLostFromTheStoreIsSaidPlainly() async throws {
        try await FilesHarness.run(.s3) { api in
            try await api.project("WEB")
            let uploaded = try await api.upload(Array("here today\n".utf8))
            let id = try #require(uploaded.json["id"] as? String)
            let sha = try #require(uploaded.json["sha256"] as? String)
            #expect(try await api.store.contains(sha))
            try await api.store.remove(sha)
            let lost = try await api.raw(.get, "/files/\(id)/content")
            #expect(lost.status == .internalServerError && lost.errorCode == "content_missing", "\(lost.text)")
        }
    }

    @Test func settingsNameEveryMissingPieceAndNeverTheSecret() throws {
        var missing = EnvironmentReader(["FILES_STORE": "s3", "FILES_S3_ENDPOINT": "minio:9000", "FILES_S3_SECRET_ACCESS_KEY": "s3cr3t"])
        _ = FilesConfiguration(environment: &missing)
        let error = try #require(throws: ConfigurationError.self) { try missing.validate() }
        let variables = Set(error.problems.map(\.variable))
        #expect(variables == ["FILES_S3_ENDPOINT", "FILES_S3_BUCKET", "FILES_S3_ACCESS_KEY_ID"], "\(error)")
        #expect(!"\(error)".contains("s3cr3t"))

        var complete = EnvironmentReader([
            "FILES_STORE": "s3", "FILES_S3_ENDPOINT": "http://minio:9000/", "FILES_S3_BUCKET": "files", "FILES_S3_ACCESS_KEY_ID": "key",
            "FILES_S3_SECRET_ACCESS_KEY": "s3cr3t", "FILES_S3_PREFIX": "tenant-a",
        ])
        let configuration = FilesConfiguration(environment: &complete)
        try complete.validate()
        let store = try #require(configuration.objectStore)
        #expect(store.endpoint == "http://minio:9000" && store.keyPrefix == "tenant-a/" && store.signing.region == "us-east-1")
        #expect(!"\(store.signing)".contains("s3cr3t"))

        var badPrefix = EnvironmentReader([
            "FILES_STORE": "s3", "FILES_S3_ENDPOINT": "http://minio:9000", "FILES_S3_BUCKET": "files", "FILES_S3_ACCESS_KEY_ID": "key",
            "FILES_S3_SECRET_ACCESS_KEY": "s3cr3t", "FILES_S3_PREFIX": "a b?",
        ])
        _ = FilesConfiguration(environment: &badPrefix)
        #expect(throws: ConfigurationError.self) { try badPrefix.validate() }
    }
}
