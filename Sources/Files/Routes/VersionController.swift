import FlotillaKit
import Hummingbird
import Prometheus
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /files/{id}/versions`, `GET /files/{id}/versions/{number}/content` and
/// `POST /files/{id}/versions/{number}/restore` (a new version with that content).
struct VersionController: Sendable {
    let files: FileRepository
    let writer: FileWriter
    let single: FileController
    let responder: ContentResponder

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/files/{id}/versions", use: list)
        group.get("/files/{id}/versions/{number}/content", use: download)
        group.post("/files/{id}/versions/{number}/restore", use: restore)
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await single.authorized(.read, request, context)
        return JSONResponse.make(["data": try await files.versions(of: file.id)])
    }

    @Sendable func download(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await single.authorized(.read, request, context)
        let version = try await find(file, context)
        return try await responder.respond(.init(sha256: version.sha256, size: version.size, name: version.name, contentType: version.contentType), to: request, context: context)
    }

    @Sendable func restore(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await single.authorized(.update, request, context)
        let version = try await find(file, context)
        return JSONResponse.make(try await writer.restore(version.number, of: file.id, actor: try context.requirePrincipal().subject))
    }

    private func find(_ file: StoredFile, _ context: FlotillaRequestContext) async throws -> FileVersion {
        let text = context.parameters.get("number") ?? ""
        guard let number = Int(text), number > 0, let version = try await files.version(number, of: file.id) else {
            throw APIError.notFound("File \(file.id.lowercasedString) has no version '\(text.prefix(12))' (kept: the last versions, see /versions).")
        }
        return version
    }
}
