import FlotillaKit
import HTTPTypes
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Resumable uploads, tus 1.0 (core, creation, expiration, termination, checksum with
/// `sha256`): `OPTIONS /uploads`, `POST /uploads` (`Upload-Length`, `Upload-Metadata` with
/// `entity`, `filename`, optional `filetype` and `file_id` for a new version), `HEAD` and
/// `PATCH /uploads/{id}` (bytes at `Upload-Offset`), `DELETE /uploads/{id}`. When the last
/// byte arrives the upload becomes a file (or version) like any other, its id in
/// `Flotilla-File-Id`. Errors are tus's: 412 version, 415 content type, 409 offset, 460
/// checksum, 404 unknown or expired.
struct TusController: Sendable {
    let uploads: UploadRepository
    let store: any BlobStore
    let ingest: Ingest
    let access: FileAccess
    let files: FileRepository
    let redis: RedisClient
    /// Prefix of the per-upload lock keys: one PATCH at a time per upload, across replicas.
    let lockPrefix: String

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.on("/uploads", method: .options, use: options)
        group.post("/uploads", use: create)
        group.head("/uploads/{id}", use: status)
        group.patch("/uploads/{id}", use: append)
        group.delete("/uploads/{id}", use: terminate)
    }

    @Sendable func options(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        var headers = Tus.headers
        headers[.tusVersion] = Tus.version
        headers[.tusExtension] = "creation,expiration,termination,checksum"
        headers[.tusMaxSize] = String(ingest.maxUpload)
        headers[.tusChecksumAlgorithm] = "sha256"
        return Response(status: .noContent, headers: headers)
    }

    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try Tus.requireVersion(request)
        guard let length = request.headers[.uploadLength].flatMap({ Int64($0) }), length >= 0 else {
            throw Tus.error(.badRequest, "upload_length_required", "Send Upload-Length: the upload's size in bytes.")
        }
        let metadata = Tus.metadata(request.headers[.uploadMetadata] ?? "")
        var problems: [String: String] = [:]
        let entity = metadata["entity"].flatMap(EntityReference.init)
        if entity == nil { problems["entity"] = "Upload-Metadata needs entity (base64 of e.g. task:WEB-142)" }
        let name = metadata["filename"] ?? ""
        if !FileName.isValid(name) { problems["filename"] = "Upload-Metadata needs filename, which " + FileName.rule }
        let fileID = metadata["file_id"].flatMap { UUID(uuidString: $0) }
        if metadata["file_id"] != nil && fileID == nil { problems["file_id"] = "must be the id of the file to add a version to" }
        guard problems.isEmpty else { throw APIError.invalidFields(problems) }
        var target = entity!
        if let fileID {
            guard let file = try await files.find(fileID) else { throw APIError.notFound("No file \(fileID.lowercasedString).") }
            try await access.authorize(.update, on: file, request, principal)
            target = file.entity
        } else {
            try await access.requireReadable(target, request, principal)
        }
        try await ingest.precheck(length: length, uploader: principal.subject, project: target.project)
        let upload = try await uploads.create(
            user: principal.subject, entity: target, fileID: fileID, name: name, contentType: metadata["filetype"], length: length)
        var headers = Tus.headers
        headers[.location] = "/uploads/\(upload.id.lowercasedString)"
        headers[.uploadExpires] = Tus.httpDate(upload.expiresAt)
        return Response(status: .created, headers: headers)
    }

    @Sendable func status(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try Tus.requireVersion(request)
        let upload = try await find(request, context)
        var headers = Tus.headers
        headers[.uploadOffset] = String(upload.offset)
        headers[.uploadLength] = String(upload.length)
        headers[.uploadExpires] = Tus.httpDate(upload.expiresAt)
        headers[.cacheControl] = "no-store"
        if let file = upload.completedFileID { headers[.flotillaFileID] = file.lowercasedString }
        return Response(status: .ok, headers: headers)
    }

    @Sendable func append(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try Tus.requireVersion(request)
        guard request.headers[.contentType].map(ContentSniffer.mediaType) == "application/offset+octet-stream" else {
            throw Tus.error(.unsupportedMediaType, "wrong_content_type", "A PATCH carries Content-Type: application/offset+octet-stream.")
        }
        let upload = try await find(request, context)
        guard let offset = request.headers[.uploadOffset].flatMap({ Int64($0) }), offset == upload.offset else {
            throw Tus.error(.conflict, "offset_mismatch", "The upload is at offset \(upload.offset); HEAD it and continue from there.", offset: upload.offset)
        }
        guard upload.completedFileID == nil, upload.offset < upload.length || upload.length == 0 else {
            throw Tus.error(.conflict, "upload_complete", "The upload is complete.", offset: upload.offset)
        }
        let checksum = try Tus.checksum(request.headers[.uploadChecksum])
        let name = upload.id.lowercasedString
        // One writer per upload: a second PATCH while one streams would write the same bytes.
        let lock = RedisLock(client: redis, key: lockPrefix + name, ttl: .seconds(900))
        guard let token = try await lock.tryAcquire() else {
            throw Tus.error(.conflict, "upload_busy", "Another PATCH of this upload is in progress; wait for it, HEAD, and continue.", offset: upload.offset)
        }
        defer { Task { _ = try? await lock.release(token: token) } }
        let wrote = try await store.append(request.body, toPartial: name, at: offset, limit: upload.length - offset)
        if let checksum, wrote.interrupted || wrote.sha256 != checksum {
            throw Tus.error(Tus.checksumMismatch, "checksum_mismatch", "The chunk's SHA-256 does not match Upload-Checksum; send it again from offset \(offset).", offset: offset)
        }
        guard let advanced = try await uploads.advance(upload.id, from: offset, by: wrote.written) else {
            throw Tus.error(.conflict, "offset_mismatch", "Another request moved this upload; HEAD it and continue from there.")
        }
        var headers = Tus.headers
        headers[.uploadOffset] = String(advanced.offset)
        headers[.uploadExpires] = Tus.httpDate(advanced.expiresAt)
        if advanced.offset == advanced.length {
            let staged = try await store.stagePartial(name, length: advanced.length)
            let content = FileWriter.Content(entity: advanced.entity, name: advanced.name, contentType: "", uploader: advanced.userID)
            let file = try await ingest.finish(staged, declaredType: advanced.contentType, content, into: advanced.fileID)
            try await uploads.complete(advanced.id, as: file.id)
            await store.removePartial(name)
            headers[.flotillaFileID] = file.id.lowercasedString
        }
        return Response(status: .noContent, headers: headers)
    }

    @Sendable func terminate(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try Tus.requireVersion(request)
        let upload = try await find(request, context)
        try await uploads.delete(upload.id)
        await store.removePartial(upload.id.lowercasedString)
        return Response(status: .noContent, headers: Tus.headers)
    }

    /// The caller's upload `{id}`: 404 for anyone else's, an unknown or an expired one.
    private func find(_ request: Request, _ context: FlotillaRequestContext) async throws -> Upload {
        let principal = try context.requirePrincipal()
        let id = try context.uuidParameter("id", what: "upload")
        guard let upload = try await uploads.find(UUID(uuidString: id)!, of: principal.subject) else {
            throw Tus.error(.notFound, "not_found", "No upload \(id) (uploads expire when no chunk arrives for a while).")
        }
        return upload
    }
}
