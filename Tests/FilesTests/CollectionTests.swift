import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import Files

@Suite("files: garbage collection")
struct CollectionTests {
    @Test(arguments: FilesHarness.Backend.allCases) func anUnreferencedBlobGoesAfterItsGraceAndNeverUnderAnUploadOfTheSameBytes(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend, environment: ["FILES_GC_INTERVAL_SECONDS": "3600"]) { api in
            try await api.project("WEB")
            let store = api.store
            let content = Array("the same bytes, again and again\n".utf8)
            let first = try await api.upload(content, name: "a.txt")
            let sha = try #require(first.json["sha256"] as? String)
            #expect(try await api.send(.delete, "/files/\(try #require(first.json["id"] as? String))").status == .noContent)

            let patient = BlobCollector(pool: api.pool, store: store, grace: .seconds(3600), logger: Logger(label: "gc"))
            #expect(try await patient.collect() == 0, "within its grace period the blob stays")
            #expect(try await store.contains(sha))

            // The collector (no grace) races uploads of exactly those bytes, many times over.
            let eager = BlobCollector(pool: api.pool, store: store, grace: .zero, logger: Logger(label: "gc"))
            for round in 0..<8 {
                let uploaded = try await withThrowingTaskGroup(of: String?.self) { group in
                    group.addTask { try await api.upload(content, name: "r\(round).txt").json["id"] as? String }
                    group.addTask { _ = try await eager.collect(); return nil }
                    group.addTask { _ = try await eager.collect(); return nil }
                    return try await group.compactMap { $0 }.reduce(into: [String]()) { $0.append($1) }
                }
                let id = try #require(uploaded.first)
                #expect(try await store.contains(sha), "round \(round): a referenced blob is never removed")
                #expect(try await api.raw(.get, "/files/\(id)/content").bytes == content, "round \(round)")
                #expect(try await api.send(.delete, "/files/\(id)").status == .noContent)
            }
            #expect(try await eager.collect() == 1)
            let stored = try await store.contains(sha)
            let blobs = try await api.count("blobs")
            #expect(!stored && blobs == 0)
        }
    }
}
