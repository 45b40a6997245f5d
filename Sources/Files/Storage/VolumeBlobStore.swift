import Crypto
import FlotillaKit
import Hummingbird
import NIOCore
import _NIOFileSystem
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Blobs on a volume (`FILES_STORAGE_PATH`): `blobs/ab/cd/<sha256>`, uploads streamed into
/// `staging/` and tus uploads grown in `partial/`, all on one filesystem so a commit is one
/// `rename(2)`. Every file operation runs on NIO's file-system thread pool, never on an event
/// loop; bodies stream through in chunks, so memory stays flat whatever the file's size.
struct VolumeBlobStore: BlobStore {
    let root: String
    private let fileSystem = FileSystem.shared
    /// How many first bytes a staged blob keeps for sniffing.
    static let headLength = 512

    init(root: String) {
        self.root = root
    }

    /// Create the directories (once, at start, before the server takes requests).
    func prepareDirectories() throws {
        for directory in ["blobs", "staging", "partial"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
    }

    func stage<Body: AsyncSequence & Sendable>(_ body: Body, limit: Int) async throws -> StagedBlob where Body.Element == ByteBuffer {
        let location = "\(root)/staging/\(UUID().lowercasedString)"
        var hasher = SHA256()
        var size: Int64 = 0
        var head: [UInt8] = []
        do {
            try await fileSystem.withFileHandle(forWritingAt: FilePath(location), options: .newFile(replaceExisting: false)) { handle in
                try await handle.withBufferedWriter(capacity: .kibibytes(128)) { writer in
                    for try await chunk in body {
                        size += Int64(chunk.readableBytes)
                        guard size <= limit else { throw UploadLimit.tooLarge(limit: Int64(limit)) }
                        chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                        if head.count < Self.headLength { head += chunk.getBytes(at: chunk.readerIndex, length: min(chunk.readableBytes, Self.headLength - head.count)) ?? [] }
                        _ = try await writer.write(contentsOf: chunk)
                    }
                }
            }
        } catch {
            await removeQuietly(location)
            throw error
        }
        return StagedBlob(location: location, sha256: Self.hex(hasher.finalize()), size: size, head: head)
    }

    func append<Body: AsyncSequence & Sendable>(_ body: Body, toPartial name: String, at offset: Int64, limit: Int64) async throws -> PartialWrite
    where Body.Element == ByteBuffer {
        var hasher = SHA256()
        var written: Int64 = 0
        var interrupted = false
        try await fileSystem.withFileHandle(forWritingAt: partialPath(name), options: .modifyFile(createIfNecessary: true)) { handle in
            // Whatever a dropped connection wrote past the recorded offset is overwritten.
            try await handle.resize(to: .bytes(offset))
            try await handle.withBufferedWriter(startingAtAbsoluteOffset: offset, capacity: .kibibytes(128)) { writer in
                var chunks = body.makeAsyncIterator()
                while true {
                    let next: ByteBuffer?
                    do {
                        next = try await chunks.next()
                    } catch {
                        // The client went away mid-body: keep what arrived, so it can resume.
                        interrupted = true
                        break
                    }
                    guard let chunk = next else { break }
                    guard written + Int64(chunk.readableBytes) <= limit else { throw UploadLimit.tooLarge(limit: offset + limit) }
                    written += Int64(chunk.readableBytes)
                    chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                    _ = try await writer.write(contentsOf: chunk)
                }
            }
        }
        return PartialWrite(written: written, sha256: Array(hasher.finalize()), interrupted: interrupted)
    }

    func stagePartial(_ name: String) async throws -> StagedBlob {
        var hasher = SHA256()
        var size: Int64 = 0
        var head: [UInt8] = []
        try await fileSystem.withFileHandle(forReadingAt: partialPath(name)) { handle in
            for try await chunk in handle.readChunks() {
                size += Int64(chunk.readableBytes)
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                if head.count < Self.headLength { head += chunk.getBytes(at: chunk.readerIndex, length: min(chunk.readableBytes, Self.headLength - head.count)) ?? [] }
            }
        }
        return StagedBlob(location: partialPath(name).string, sha256: Self.hex(hasher.finalize()), size: size, head: head)
    }

    func removePartial(_ name: String) async {
        await removeQuietly(partialPath(name).string)
    }

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
        await removeQuietly(staged.location)
    }

    func read(_ sha256: String, range: ClosedRange<Int64>, pacedOn eventLoop: any EventLoop) -> ResponseBody {
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
        let hash = Array(sha256)
        return FilePath("\(root)/blobs/\(String(hash[0..<2]))/\(String(hash[2..<4]))/\(sha256)")
    }

    private func partialPath(_ name: String) -> FilePath {
        FilePath("\(root)/partial/\(name)")
    }

    private func removeQuietly(_ location: String) async {
        _ = try? await fileSystem.removeItem(at: FilePath(location), strategy: .platformDefault, recursively: false)
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}
