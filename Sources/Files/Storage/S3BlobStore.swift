import FlotillaKit
import Hummingbird
import NIOCore

/// Blobs in a bucket of an S3-compatible object store: object `<prefix>blobs/ab/cd/<sha256>`.
/// Uploads are spooled on the local ``ScratchSpace`` while hashed (so each `PUT` has a known
/// length and its real SHA-256, which the store verifies), then uploaded by ``prepare(_:)``
/// before the database transaction; ``commit(_:)`` under the row lock only checks the object is
/// still there. A tus upload keeps each `PATCH` as object `<prefix>partials/<upload>/<offset>`,
/// so any replica can take the next chunk; finishing reads them back in order into one blob
/// (found by walking offsets, no listing).
/// Downloads stream from the store at the client's pace, `Range` passed through.
struct S3BlobStore: BlobStore {
    let client: ObjectStoreClient
    let scratch: ScratchSpace
    /// Prefix of every key (`FILES_S3_PREFIX`).
    let keyPrefix: String

    func stage<Body: AsyncSequence & Sendable>(_ body: Body, limit: Int) async throws -> StagedBlob where Body.Element == ByteBuffer {
        try await scratch.spool(body, limit: Int64(limit), overLimit: UploadLimit.tooLarge(limit: Int64(limit))).blob
    }

    func append<Body: AsyncSequence & Sendable>(_ body: Body, toPartial name: String, at offset: Int64, limit: Int64) async throws -> PartialWrite
    where Body.Element == ByteBuffer {
        let spooled = try await scratch.spool(body, limit: limit, overLimit: UploadLimit.tooLarge(limit: offset + limit), keepingInterrupted: true)
        do {
            if spooled.blob.size > 0 {
                // A retried chunk at the same offset replaces the one before it.
                try await stored { try await client.put(chunkKey(name, offset), fromFile: spooled.blob.location, size: spooled.blob.size, sha256: spooled.blob.sha256) }
            }
        } catch {
            await scratch.remove(spooled.blob.location)
            throw error
        }
        await scratch.remove(spooled.blob.location)
        return PartialWrite(written: spooled.blob.size, sha256: spooled.digest, interrupted: spooled.interrupted)
    }

    func stagePartial(_ name: String, length: Int64) async throws -> StagedBlob {
        // The chain from offset 0: each chunk starts where the one before it ended.
        try await stored {
            try await scratch.spool(
                ChunkChain(client: client, length: length) { chunkKey(name, $0) }, limit: length,
                overLimit: StorageFailure.unavailable("partial upload \(name) holds more than \(length) bytes")
            ).blob
        }
    }

    func removePartial(_ name: String) async {
        var offset: Int64 = 0
        while let size = try? await client.size(of: chunkKey(name, offset)), size > 0 {
            try? await client.delete(chunkKey(name, offset))
            offset += size
        }
    }

    func prepare(_ staged: StagedBlob) async throws {
        try await upload(staged)
    }

    func commit(_ staged: StagedBlob) async throws {
        // Collected between prepare and this transaction's lock (rare): upload it again.
        try await upload(staged)
        await scratch.remove(staged.location)
    }

    func discard(_ staged: StagedBlob) async {
        await scratch.remove(staged.location)
    }

    func read(_ sha256: String, range: ClosedRange<Int64>, pacedOn eventLoop: any EventLoop) async throws -> ResponseBody {
        let response = try await stored { try await client.get(blobKey(sha256), range: range) }
        return ResponseBody(contentLength: Int(range.upperBound - range.lowerBound + 1)) { writer in
            do {
                try await writer.write(paced: response.body, on: eventLoop)
            } catch {
                response.cancel()
                throw error
            }
            try await writer.finish(nil)
        }
    }

    func contains(_ sha256: String) async throws -> Bool {
        try await stored { try await client.size(of: blobKey(sha256)) != nil }
    }

    func remove(_ sha256: String) async throws {
        try await stored { try await client.delete(blobKey(sha256)) }
    }

    /// Put `staged` at its blob key unless an object is there already (same key, same bytes).
    private func upload(_ staged: StagedBlob) async throws {
        try await stored {
            let key = blobKey(staged.sha256)
            if try await client.size(of: key) != nil { return }
            try await client.put(key, fromFile: staged.location, size: staged.size, sha256: staged.sha256)
        }
    }

    /// `operation`, with a store failure turned into the client's 503.
    private func stored<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let failure as StorageFailure {
            throw failure.apiError
        } catch let error as HTTPClientError {
            throw StorageFailure.unavailable("\(error)").apiError
        }
    }

    private func blobKey(_ sha256: String) -> String { keyPrefix + BlobKey.path(sha256) }
    private func partialPrefix(_ name: String) -> String { keyPrefix + "partials/\(name)/" }
    /// Zero-padded, so keys sort in offset order.
    private func chunkKey(_ name: String, _ offset: Int64) -> String { partialPrefix(name) + String(offset).leftPadded(to: 20) }
}

/// A tus upload's bytes read back from its chunks: the chunk at offset 0, then the one at the
/// offset where it ended, and so on up to `length`, each streamed as it is read. A missing link
/// fails the read.
private struct ChunkChain: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let client: ObjectStoreClient
    let length: Int64
    let key: @Sendable (Int64) -> String

    func makeAsyncIterator() -> Iterator { Iterator(chain: self) }

    struct Iterator: AsyncIteratorProtocol {
        let chain: ChunkChain
        var offset: Int64 = 0
        var current: HTTPClientStreamingResponse.Body.Iterator?

        mutating func next() async throws -> ByteBuffer? {
            while true {
                if current == nil {
                    guard offset < chain.length else { return nil }
                    current = try await chain.client.get(chain.key(offset)).body.makeAsyncIterator()
                }
                if let chunk = try await current?.next() {
                    offset += Int64(chunk.readableBytes)
                    return chunk
                }
                current = nil
            }
        }
    }
}
