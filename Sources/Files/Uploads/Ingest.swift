import FlotillaKit
import HTTPTypes
import NIOCore
import Prometheus

/// Turns uploaded bytes into a file or a version, whichever way they arrive (a raw body,
/// a multipart part, a finished tus upload): refuse a declared length over the limit or the
/// quota before reading, stream into the store, check the sniffed type against the declared one
/// and the allow-list (415), then write it (quota checked again, exactly, in the transaction).
struct Ingest: Sendable {
    let store: any BlobStore
    let writer: FileWriter
    let quotas: Quotas
    let pool: PostgresPool
    /// The largest upload (`FILES_MAX_UPLOAD_BYTES`).
    let maxUpload: Int64
    /// Content types accepted (`FILES_ALLOWED_TYPES`).
    let allowedTypes: Set<String>
    let metrics: FilesMetrics

    /// Refuse `length` bytes from `uploader` into `project` before reading them, if they cannot fit.
    func precheck(length: Int64?, uploader: String, project: String) async throws {
        guard let length else { return }
        if length > maxUpload { throw UploadLimit.tooLarge(limit: maxUpload) }
        try await quotas.precheck(adding: length, uploader: uploader, project: project, pool: pool)
    }

    /// Stream `body` into `content` (a new file, or a version of `existing`).
    func ingest<Body: AsyncSequence & Sendable>(
        _ body: Body, length: Int64?, declaredType: String?, _ content: FileWriter.Content, into existing: StoredFile.ID? = nil
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        try await precheck(length: length, uploader: content.uploader, project: content.entity.project)
        let staged = try await store.stage(body, limit: Int(maxUpload))
        return try await finish(staged, declaredType: declaredType, content, into: existing)
    }

    /// Check `staged`'s type and write it as `content`; a refused upload is discarded.
    func finish(_ staged: StagedBlob, declaredType: String?, _ content: FileWriter.Content, into existing: StoredFile.ID? = nil) async throws -> StoredFile {
        switch ContentSniffer.resolve(declared: declaredType, head: staged.head, allowed: allowedTypes) {
        case .failure(let refusal):
            await store.discard(staged)
            metrics.refused.increment()
            throw Self.unsupported(refusal, allowed: allowedTypes)
        case .success(let type):
            var content = content
            content.contentType = type
            let file = try await writer.store(staged, content, into: existing)
            metrics.uploaded.increment()
            metrics.uploadedBytes.increment(by: staged.size)
            return file
        }
    }

    static func unsupported(_ refusal: ContentSniffer.Refusal, allowed: Set<String>) -> APIError {
        switch refusal {
        case .mismatch(let declared, let sniffed):
            return APIError(
                .unsupportedMediaType, code: "content_type_mismatch",
                message: "The upload was declared \(declared) but its content is \(sniffed); send the right Content-Type (or application/octet-stream).",
                details: ["declared": .string(declared), "detected": .string(sniffed)])
        case .notAllowed(let sniffed):
            return APIError(
                .unsupportedMediaType, code: "content_type_not_allowed",
                message: "Files of type \(sniffed ?? "unknown binary") are not accepted; allowed: \(allowed.sorted().joined(separator: ", ")).",
                details: ["detected": sniffed.map(JSONValue.string) ?? .null])
        }
    }
}
