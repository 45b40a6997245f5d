import FlotillaKit
import Logging
import NIOCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The demo workspace's files (``DemoWorkspace``): a release checklist on WEB-1 in two
/// versions and a share link on it, written to the store `FILES_STORAGE_PATH` names. Ids are
/// fixed, so running `files seed` again changes nothing.
enum DemoFiles {
    static let fileID = "00000000-0000-4000-d000-000000000001"
    static let versions = [
        "# Release checklist\n\n- [ ] Copy approved\n- [ ] Staging checked\n",
        "# Release checklist\n\n- [x] Copy approved\n- [ ] Staging checked\n- [ ] Analytics tag in place\n",
    ]

    /// `files seed`: into the store the environment names.
    @Sendable static func seed(_ pool: PostgresPool, _ logger: Logger) async throws -> String {
        var environment = EnvironmentReader(ProcessInfo.processInfo.environment)
        let configuration = FilesConfiguration(environment: &environment)
        try environment.validate()
        let client = FlotillaHTTPClient(configuration: .init(userAgent: "files-seed/\(FilesApp.identity.version)"))
        do {
            let store = try configuration.makeBlobStore(runtime: ServiceRuntime(configuration: configuration.base.service), client: client)
            let message = try await seed(pool, store: store, keepVersions: configuration.keepVersions, logger)
            await client.shutdown()
            return message
        } catch {
            await client.shutdown()
            throw error
        }
    }

    static func seed(_ pool: PostgresPool, store: any BlobStore, keepVersions: Int, _ logger: Logger) async throws -> String {
        let present = try await pool.query("SELECT 1 FROM files WHERE id = $1", [fileID]).rows
        guard present.isEmpty else { return "demo files already present" }
        let writer = FileWriter(pool: pool, store: store, quotas: Quotas(perUser: 0, perProject: 0), keepVersions: keepVersions)
        let content = FileWriter.Content(
            entity: EntityReference(kind: .task, id: "WEB-1"), name: "release-checklist.md", contentType: "text/markdown", uploader: DemoWorkspace.user)
        let first = try await store.stage(Chunks(text: versions[0]), limit: 1 << 20)
        _ = try await writer.store(first, content, id: UUID(uuidString: fileID)!)
        let second = try await store.stage(Chunks(text: versions[1]), limit: 1 << 20)
        _ = try await writer.store(second, content, into: UUID(uuidString: fileID)!)
        let message = "seeded the demo file release-checklist.md (2 versions) on WEB-1"
        logger.info("\(message)")
        return message
    }

    /// A text as a one-chunk body.
    struct Chunks: AsyncSequence, Sendable {
        let text: String

        func makeAsyncIterator() -> AsyncStream<ByteBuffer>.Iterator {
            let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
            continuation.yield(ByteBuffer(string: text))
            continuation.finish()
            return stream.makeAsyncIterator()
        }
    }
}
