import FlotillaKit
import Hummingbird
import NIOCore
import _NIOFileSystem

/// Blobs on a volume (`FILES_STORAGE_PATH`): `blobs/ab/cd/<sha256>`, uploads spooled into
/// `staging/` and tus uploads grown in `partial/`, all on one filesystem so a commit is one
/// `rename(2)`. File operations run on NIO's file-system thread pool, never on an event loop.
struct VolumeBlobStore: BlobStore {
    let scratch: ScratchSpace
    private var root: String { scratch.root }
    private let fileSystem = FileSystem.shared

    init(root: String) {
        scratch = ScratchSpace(root: root)
    }

    /// Create the directories (once, at start, before the server takes requests).
    func prepareDirectories() throws {
        try scratch.prepareDirectories(["blobs", "partial"])
    }

    func stage<Body: AsyncSequence & Sendable>(_ body: Body, limit: Int) async throws -> StagedBlob where Body.Element == ByteBuffer {
        try await scratch.spool(body, limit: Int64(limit), overLimit: UploadLimit.tooLarge(limit: Int64(limit))).blob
    }

    func append<Body: AsyncSequence & Sendable>(_ body: Body, toPartial name: String, at offset: Int64, limit: Int64) async throws -> PartialWrite
    where Body.Element == ByteBuffer {
        let copied = try await fileSystem.withFileHandle(forWritingAt: partialPath(name), options: .modifyFile(createIfNecessary: true)) { handle in
            // Whatever a dropped connection wrote past the recorded offset is overwritten; the
            // client going away mid-body keeps what arrived, so it can resume.
            try await handle.resize(to: .bytes(offset))
            return try await ScratchSpace.copy(body, into: handle, at: offset, limit: limit, overLimit: UploadLimit.tooLarge(limit: offset + limit), keepingInterrupted: true)
        }
        return PartialWrite(written: copied.digest.size, sha256: copied.digest.digestBytes(), interrupted: copied.interrupted)
    }

    func stagePartial(_ name: String, length: Int64) async throws -> StagedBlob {
        try await scratch.hash(partialPath(name).string)
    }

    func removePartial(_ name: String) async {
        await scratch.remove(partialPath(name).string)
    }

    func prepare(_ staged: StagedBlob) async throws {}

    func commit(_ staged: StagedBlob) async throws {
        let destination = blobPath(staged.sha256)
        if try await fileSystem.info(forFileAt: destination) != nil {
            await discard(staged)
            return
        }
        try await fileSystem.createDirectory(at: destination.removingLastComponent(), withIntermediateDirectories: true, permissions: nil)
        try await fileSystem.moveItem(at: FilePath(staged.location), to: destination)
    }

    func discard(_ staged: StagedBlob) async {
        await scratch.remove(staged.location)
    }

    func read(_ sha256: String, range: ClosedRange<Int64>, pacedOn eventLoop: any EventLoop) async throws -> ResponseBody {
        let path = blobPath(sha256)
        return ResponseBody(contentLength: Int(range.upperBound - range.lowerBound + 1)) { writer in
            try await fileSystem.withFileHandle(forReadingAt: path) { handle in
                try await writer.write(paced: handle.readChunks(in: range, chunkLength: .kibibytes(64)), on: eventLoop)
            }
            try await writer.finish(nil)
        }
    }

    func contains(_ sha256: String) async throws -> Bool {
        try await fileSystem.info(forFileAt: blobPath(sha256)) != nil
    }

    func remove(_ sha256: String) async throws {
        try await fileSystem.removeItem(at: blobPath(sha256), strategy: .platformDefault, recursively: false)
    }

    private func blobPath(_ sha256: String) -> FilePath {
        FilePath("\(root)/\(BlobKey.path(sha256))")
    }

    private func partialPath(_ name: String) -> FilePath {
        FilePath("\(root)/partial/\(name)")
    }
}

/// Where blob `sha256` lives under a store's root: `blobs/ab/cd/<sha256>`, fanned out so no
/// directory (or key listing) grows huge.
enum BlobKey {
    static func path(_ sha256: String) -> String {
        let hash = Array(sha256)
        return "blobs/\(String(hash[0..<2]))/\(String(hash[2..<4]))/\(sha256)"
    }
}
