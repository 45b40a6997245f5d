import Crypto
import FlotillaKit
import NIOCore
import _NIOFileSystem
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A local directory for bytes in transit (`FILES_STORAGE_PATH`): uploads are spooled into
/// `staging/` while their SHA-256 and size are counted, whichever store keeps the blobs. Every
/// operation runs on NIO's file-system thread pool, never on an event loop, and bodies stream
/// through in chunks, so memory stays flat whatever the size.
struct ScratchSpace: Sendable {
    let root: String
    private let fileSystem = FileSystem.shared
    /// How many first bytes a staged blob keeps for sniffing.
    static let headLength = 512

    init(root: String) {
        self.root = root
    }

    /// Create `staging/` and `subdirectories` (once, at start, before the server takes requests).
    func prepareDirectories(_ subdirectories: [String] = []) throws {
        for directory in ["staging"] + subdirectories {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
    }

    /// What one spool wrote.
    struct Spooled: Sendable {
        let blob: StagedBlob
        /// The raw SHA-256 of the bytes (for a tus `Upload-Checksum`).
        let digest: [UInt8]
        /// Whether the body ended early (its producer failed) and `blob` holds what arrived.
        let interrupted: Bool
    }

    /// Stream `body` into a new file in `staging/`, hashing it. Past `limit` bytes `overLimit`
    /// is thrown; a failing body throws too, unless `keepingInterrupted`, when what arrived is
    /// kept (a tus chunk whose connection dropped). On a throw nothing is left behind.
    func spool<Body: AsyncSequence & Sendable>(_ body: Body, limit: Int64, overLimit: @autoclosure () -> any Error, keepingInterrupted: Bool = false)
        async throws -> Spooled where Body.Element == ByteBuffer
    {
        let location = "\(root)/staging/\(UUID().lowercasedString)"
        do {
            let copied = try await fileSystem.withFileHandle(forWritingAt: FilePath(location), options: .newFile(replaceExisting: false)) { handle in
                try await Self.copy(body, into: handle, limit: limit, overLimit: overLimit(), keepingInterrupted: keepingInterrupted)
            }
            return Spooled(blob: copied.digest.staged(at: location), digest: copied.digest.digestBytes(), interrupted: copied.interrupted)
        } catch {
            await remove(location)
            throw error
        }
    }

    /// Write `body` to `handle` from `offset` through a buffer, hashing it: past `limit` bytes
    /// `overLimit` is thrown; a failing body throws too, unless `keepingInterrupted`, when the
    /// copy ends with what arrived (and says so).
    static func copy<Body: AsyncSequence & Sendable>(
        _ body: Body, into handle: WriteFileHandle, at offset: Int64 = 0, limit: Int64, overLimit: @autoclosure () -> any Error,
        keepingInterrupted: Bool
    ) async throws -> (digest: Digest, interrupted: Bool) where Body.Element == ByteBuffer {
        var digest = Digest()
        var interrupted = false
        try await handle.withBufferedWriter(startingAtAbsoluteOffset: offset, capacity: .kibibytes(128)) { writer in
            var chunks = body.makeAsyncIterator()
            while true {
                let next: ByteBuffer?
                do {
                    next = try await chunks.next()
                } catch where keepingInterrupted {
                    interrupted = true
                    break
                }
                guard let chunk = next else { break }
                guard digest.size + Int64(chunk.readableBytes) <= limit else { throw overLimit() }
                digest.update(chunk)
                _ = try await writer.write(contentsOf: chunk)
            }
        }
        return (digest, interrupted)
    }

    /// `path` as a staged blob, hashed by reading it back.
    func hash(_ path: String) async throws -> StagedBlob {
        var digest = Digest()
        try await fileSystem.withFileHandle(forReadingAt: FilePath(path)) { handle in
            for try await chunk in handle.readChunks() { digest.update(chunk) }
        }
        return digest.staged(at: path)
    }

    /// Remove `path`, if it is there.
    func remove(_ path: String) async {
        _ = try? await fileSystem.removeItem(at: FilePath(path), strategy: .platformDefault, recursively: false)
    }

    /// Running SHA-256, size and first bytes of content passing through.
    struct Digest {
        private var hasher = SHA256()
        private(set) var size: Int64 = 0
        private var head: [UInt8] = []

        mutating func update(_ chunk: ByteBuffer) {
            size += Int64(chunk.readableBytes)
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            if head.count < ScratchSpace.headLength {
                head += chunk.getBytes(at: chunk.readerIndex, length: min(chunk.readableBytes, ScratchSpace.headLength - head.count)) ?? []
            }
        }

        /// The hash so far, raw.
        func digestBytes() -> [UInt8] { Array(hasher.finalize()) }

        func staged(at location: String) -> StagedBlob {
            StagedBlob(location: location, sha256: ScratchSpace.hex(hasher.finalize()), size: size, head: head)
        }
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}
