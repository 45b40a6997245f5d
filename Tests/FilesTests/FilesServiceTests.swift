import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import Files

@Suite("files: demo data, ops and OpenAPI")
struct FilesServiceTests {
    @Test(arguments: FilesHarness.Backend.allCases) func theDemoFileLoadsOnce(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend) { api in
            let store = api.store
            let first = try await DemoFiles.seed(api.pool, store: store, keepVersions: 10, Logger(label: "seed"))
            let again = try await DemoFiles.seed(api.pool, store: store, keepVersions: 10, Logger(label: "seed"))
            #expect(first.hasPrefix("seeded the demo file"), "\(first)")
            #expect(again == "demo files already present")
            try await api.project("WEB")
            let content = try await api.raw(.get, "/files/\(DemoFiles.fileID)/content", as: DemoWorkspace.user)
            #expect(content.status == .notFound, "the demo user is not in this test's project WEB")
            #expect(try await api.count("file_versions") == 2)
        }
    }

    @Test func answersTheOpsContract() async throws {
        try await FilesHarness.run { api in
            #expect(try await api.api.send(.get, "/ready").status == .ok)
            try await api.project("WEB")
            _ = try await api.upload(Array("metrics\n".utf8))
            let metrics = try await api.api.send(.get, "/metrics")
            #expect(metrics.body.contains("files_uploaded_total 1") && metrics.body.contains("files_uploaded_bytes_total 8"))
            let lint = try await Promtool.checkMetrics(metrics.body)
            #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
            #expect(try await api.api.send(.get, "/events.json").body.contains("file.version_added"))
            #expect(try await api.api.send(.get, "/files?entity=task:WEB-1").status == .unauthorized)
            let big = try await api.send(.post, "/files/00000000-0000-4000-a000-000000000001/links", json: "{\"pad\": \"\(String(repeating: "x", count: 70_000))\"}")
            #expect(big.status == .contentTooLarge, "JSON routes keep a small body limit")
        }
    }

    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url(), "FILES_STORAGE_PATH": NSTemporaryDirectory() + "files-openapi"])
        let application = try buildApplication(FilesConfiguration(environment: &environment), httpClient: FilesHarness.httpClient)
        #expect(application.routes.count >= 20)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Files")
        #expect(problems.isEmpty, "\(problems)")
    }
}
