import FlotillaKit
import HTTPTypes
import Hummingbird
import Prometheus
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Files on entities: `POST /files?entity=&name=` (the raw body, or a multipart form),
/// `GET /files?entity=`, `GET /files/shared-with-me`, `GET/DELETE /files/{id}`,
/// `PUT/GET /files/{id}/content`.
struct FileController: Sendable {
    let files: FileRepository
    let writer: FileWriter
    let ingest: Ingest
    let access: FileAccess
    let responder: ContentResponder
    let metrics: FilesMetrics

    /// Routes whose bodies are file contents on `uploads`, the rest on `json`.
    func addRoutes(uploads: RouterGroup<FlotillaRequestContext>, json: RouterGroup<FlotillaRequestContext>) {
        uploads.post("/files", use: upload)
        uploads.put("/files/{id}/content", use: replace)
        json.get("/files", use: list)
        json.get("/files/shared-with-me", use: sharedWithMe)
        json.get("/files/{id}", use: show)
        json.delete("/files/{id}", use: delete)
        json.get("/files/{id}/content", use: download)
    }

    /// `?entity=task:WEB-1&name=spec.pdf` with the file as the body (its `Content-Type`
    /// declared), or `?entity=` with a `multipart/form-data` body whose part `file` is the file
    /// (its file name the name, unless `name` is given in the query or a field before it).
    @Sendable func upload(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let entity = Self.entity(&query)
        let name = query.string("name", maxLength: 1000)
        let boundary = MultipartReader<RequestBody>.boundary(of: request.headers[.contentType])
        if name == nil, boundary == nil { query.record("name", "is required: the file's name, such as spec.pdf") }
        if let name, !FileName.isValid(name) { query.record("name", FileName.rule) }
        try query.validate()
        try await access.requireReadable(entity!, request, principal)
        let file = try await receive(request, boundary: boundary, name: name) {
            FileWriter.Content(entity: entity!, name: $0, contentType: "", uploader: principal.subject)
        }
        return try await created(file)
    }

    /// The file in `request`, raw or the `file` part of a multipart form (`boundary`), stored as
    /// `content(name)` (a new file, or a version of `existing`). Its name: `name` (the query), else
    /// a `name` field before the file, else `kept` (a new version keeps its file's), else the part's file name.
    private func receive(
        _ request: Request, boundary: String?, name: String?, keeping kept: String? = nil, into existing: StoredFile.ID? = nil,
        _ content: (String) -> FileWriter.Content
    ) async throws -> StoredFile {
        guard let boundary else {
            return try await ingest.ingest(
                request.body, length: request.headers[.contentLength].flatMap { Int64($0) }, declaredType: request.headers[.contentType],
                content(name ?? kept!), into: existing)
        }
        let form = MultipartReader(request.body, boundary: boundary)
        var fieldName: String?
        var fields = 0
        while let part = try await form.nextPart() {
            guard part.name == "file" else {
                fields += 1
                guard fields <= 20 else { throw MultipartReader<RequestBody>.malformed("A file upload carries at most 20 other fields.") }
                let text = try await form.readText(limit: 4096)
                if part.name == "name" { fieldName = text }
                continue
            }
            guard let chosen = name ?? fieldName ?? kept ?? part.filename, FileName.isValid(chosen) else {
                throw APIError(
                    .badRequest, code: "invalid_multipart",
                    message: "The file part needs a valid file name (its filename, a name field before it, or ?name=): \(FileName.rule).")
            }
            let file = try await ingest.ingest(form.body, length: nil, declaredType: part.contentType, content(chosen), into: existing)
            // Fields after the file are read and ignored (as S3's POST uploads do): the file is stored.
            while (try? await form.nextPart()) ?? nil != nil {}
            return file
        }
        throw APIError(.badRequest, code: "invalid_multipart", message: "The form has no part named file; send the file in a field called file.")
    }

    private func created(_ file: StoredFile) async throws -> Response {
        var response = JSONResponse.make(file, status: .created)
        response.headers[.location] = "/files/\(file.id.lowercasedString)"
        return response
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let entity = Self.entity(&query)
        let limit = query.integer("limit", default: 50, in: 1...200)
        let cursor = KeysetCursor.read(&query, sort: "position", columns: 1)
        try query.validate()
        try await access.requireReadable(entity!, request, principal)
        let page = try await files.list(on: entity!, after: cursor.flatMap { Int64($0.values[0]) }, limit: limit)
        return JSONResponse.make(FilePage(data: page.files, nextCursor: page.next.map { KeysetCursor(sort: "position", values: [String($0)]).token }))
    }

    @Sendable func sharedWithMe(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        return JSONResponse.make(FilePage(data: try await files.shared(with: principal.subject, limit: 200), nextCursor: nil))
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(try await authorized(.read, request, context))
    }

    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await authorized(.delete, request, context)
        try await writer.delete(file, actor: try context.requirePrincipal().subject)
        metrics.deleted.increment()
        return Response(status: .noContent)
    }

    /// New content under the same id: the next version (`?name=` renames it too); raw or multipart.
    @Sendable func replace(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await authorized(.update, request, context)
        let uploader = try context.requirePrincipal().subject
        var query = QueryReader(request)
        let name = query.string("name", maxLength: 1000)
        if let name, !FileName.isValid(name) { query.record("name", FileName.rule) }
        try query.validate()
        let boundary = MultipartReader<RequestBody>.boundary(of: request.headers[.contentType])
        let updated = try await receive(request, boundary: boundary, name: name, keeping: file.name, into: file.id) {
            FileWriter.Content(entity: file.entity, name: $0, contentType: "", uploader: uploader)
        }
        return JSONResponse.make(updated)
    }

    @Sendable func download(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await authorized(.read, request, context)
        metrics.downloads.increment()
        return try await responder.respond(.init(sha256: file.sha256, size: file.size, name: file.name, contentType: file.contentType), to: request, context: context)
    }

    /// File `{id}` if the caller may do `permission` with it (404 if they cannot see it, 403 if they may not).
    func authorized(_ permission: FilePermission, _ request: Request, _ context: FlotillaRequestContext) async throws -> StoredFile {
        let principal = try context.requirePrincipal()
        let id = try context.uuidParameter("id", what: "file")
        guard let file = try await files.find(UUID(uuidString: id)!) else { throw APIError.notFound("No file \(id).") }
        try await access.authorize(permission, on: file, request, principal)
        return file
    }

    /// The required `entity` query parameter.
    static func entity(_ query: inout QueryReader) -> EntityReference? {
        guard let text = query.string("entity", maxLength: 80) else {
            query.record("entity", "is required: what the file is attached to, such as task:WEB-142")
            return nil
        }
        guard let entity = EntityReference(text) else {
            query.record("entity", EntityReference.expected)
            return nil
        }
        return entity
    }
}

/// A page of files and the cursor of the next.
struct FilePage: Codable, Sendable {
    let data: [StoredFile]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }
}
