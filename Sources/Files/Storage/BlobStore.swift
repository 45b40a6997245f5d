import Hummingbird
import NIOCore

/// Where file contents live: immutable blobs named by the SHA-256 of their bytes, so one
/// content uploaded twice is stored once. An upload is first *staged* (streamed to a private
/// place while its hash and size are counted), then *committed* as blob `sha256` — under the
/// blob's database row lock, so the garbage collector never removes a blob an upload is about
/// to use. Two stores: a volume (``VolumeBlobStore``) and an S3-compatible object store
/// (``S3BlobStore``); both spool uploads through a local ``ScratchSpace``.
protocol BlobStore: Sendable {
    /// Stream `body` (at most `limit` bytes, else 413) into a new staged blob.
    func stage<Body: AsyncSequence & Sendable>(_ body: Body, limit: Int) async throws -> StagedBlob where Body.Element == ByteBuffer

    /// Append `body` to the partial upload `name` at `offset` (tus); the bytes written.
    func append<Body: AsyncSequence & Sendable>(_ body: Body, toPartial name: String, at offset: Int64, limit: Int64) async throws -> PartialWrite
    where Body.Element == ByteBuffer

    /// The finished partial upload `name` of `length` bytes as a staged blob (hashed by reading it back).
    func stagePartial(_ name: String, length: Int64) async throws -> StagedBlob

    /// Forget partial upload `name`.
    func removePartial(_ name: String) async

    /// Do the slow part of committing `staged` before the transaction that commits it (an
    /// object store uploads it here, so no database connection waits on the transfer).
    func prepare(_ staged: StagedBlob) async throws

    /// Make `staged` the blob of its hash (already there: the staged copy is dropped). Runs
    /// under the blob row's lock; after ``prepare(_:)`` it is quick unless the blob was
    /// collected in between.
    func commit(_ staged: StagedBlob) async throws

    /// Drop a staged blob that will not be committed.
    func discard(_ staged: StagedBlob) async

    /// Bytes `range` of blob `sha256`, streamed at the pace of the connection on `eventLoop`.
    /// Throws (before any byte is sent) when the store cannot begin.
    func read(_ sha256: String, range: ClosedRange<Int64>, pacedOn eventLoop: any EventLoop) async throws -> ResponseBody

    /// Whether blob `sha256` is stored.
    func contains(_ sha256: String) async throws -> Bool

    /// Remove blob `sha256` (the collector, under the row lock).
    func remove(_ sha256: String) async throws
}

/// Content streamed to the store but not yet a blob.
struct StagedBlob: Sendable {
    /// Where the store keeps it until commit (store-specific).
    let location: String
    /// Lower-case hex SHA-256 of the bytes.
    let sha256: String
    let size: Int64
    /// The first bytes, for content sniffing.
    let head: [UInt8]
}

/// What one tus `PATCH` wrote.
struct PartialWrite: Sendable {
    let written: Int64
    /// SHA-256 of the bytes of this request (for `Upload-Checksum`).
    let sha256: [UInt8]
    /// Whether the body ended early (the connection dropped): `written` bytes arrived.
    let interrupted: Bool
}
