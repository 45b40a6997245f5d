import FlotillaKit
import HTTPTypes
import Hummingbird
import Prometheus
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Sharing, for those with `share` on a file: `GET /files/{id}/shares`,
/// `PUT/DELETE /files/{id}/shares/{userID}`, `GET/POST /files/{id}/links` and
/// `DELETE /files/{id}/links/{linkID}`.
struct ShareController: Sendable {
    let shares: ShareRepository
    let single: FileController
    let hasher: PasswordHasher
    let metrics: FilesMetrics

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/files/{id}/shares", use: list)
        group.put("/files/{id}/shares/{userID}", use: share)
        group.delete("/files/{id}/shares/{userID}", use: unshare)
        group.get("/files/{id}/links", use: links)
        group.post("/files/{id}/links", use: createLink)
        group.delete("/files/{id}/links/{linkID}", use: revoke)
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await single.authorized(.share, request, context)
        return JSONResponse.make(["data": try await shares.shares(of: file.id)])
    }

    /// `{permissions: ["read", "update", "delete", "share"]}`: 201 new, 200 changed.
    @Sendable func share(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await single.authorized(.share, request, context)
        let user = context.parameters.get("userID") ?? ""
        var body = try await JSONObjectReader(request, context: context)
        var permissions: [FilePermission] = []
        if case .array(let items)? = body.value("permissions", required: true).value, !items.isEmpty {
            for item in items {
                guard case .string(let name) = item, let permission = FilePermission(rawValue: name) else {
                    body.record("permissions", "must list some of \(FilePermission.listed)")
                    break
                }
                if !permissions.contains(permission) { permissions.append(permission) }
            }
        } else {
            body.record("permissions", "must be a non-empty list of \(FilePermission.listed)")
        }
        if !(1...200).contains(user.count) { body.record("userID", "must be a user id") }
        if user == file.uploaderID { body.record("userID", "is the file's uploader, who has every permission already") }
        try body.validate()
        let (share, created) = try await shares.share(file, with: user, permissions: permissions, by: try context.requirePrincipal().subject)
        metrics.shared.increment()
        return JSONResponse.make(share, status: created ? .created : .ok)
    }

    @Sendable func unshare(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await single.authorized(.share, request, context)
        let user = context.parameters.get("userID") ?? ""
        guard try await shares.unshare(file.id, with: user) else { throw APIError.notFound("File \(file.id.lowercasedString) is not shared with \(user.prefix(60)).") }
        return Response(status: .noContent)
    }

    @Sendable func links(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await single.authorized(.share, request, context)
        return JSONResponse.make(["data": try await shares.links(to: file.id)])
    }

    /// `{expires_at?, password?, max_downloads?}`: the link with its token (shown once) and path.
    @Sendable func createLink(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await single.authorized(.share, request, context)
        var body = try await JSONObjectReader(request, context: context)
        let expires = body.string("expires_at", length: 10...40)
        let password = body.string("password", length: 8...200)
        let maxDownloads = body.integer("max_downloads", in: 1...1_000_000)
        let expiresAt = expires.value.flatMap(RFC3339.parse)
        if expires.value != nil && expiresAt == nil { body.record("expires_at", "must be an RFC 3339 time such as 2026-12-31T23:59:00Z") }
        if let expiresAt, expiresAt <= Date() { body.record("expires_at", "must be in the future") }
        try body.validate()
        var hash: String?
        if let password = password.value { hash = try await hasher.hash(password) }
        let link = try await shares.createLink(
            to: file, by: try context.requirePrincipal().subject, expiresAt: expiresAt, passwordHash: hash, maxDownloads: maxDownloads.value)
        metrics.linksCreated.increment()
        var response = JSONResponse.make(CreatedLink(link: link, path: "/share/\(link.token ?? "")"), status: .created)
        response.headers[.location] = "/files/\(file.id.lowercasedString)/links/\(link.id.lowercasedString)"
        return response
    }

    @Sendable func revoke(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let file = try await single.authorized(.share, request, context)
        let id = try context.uuidParameter("linkID", what: "link")
        guard try await shares.revoke(UUID(uuidString: id)!, of: file.id) else { throw APIError.notFound("File \(file.id.lowercasedString) has no link \(id).") }
        return Response(status: .noContent)
    }
}

/// The reply that creates a link: the link (with its token) and the public path to download.
struct CreatedLink: Encodable, Sendable {
    let link: ShareLink
    let path: String

    func encode(to encoder: any Encoder) throws {
        try link.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
    }

    enum CodingKeys: String, CodingKey {
        case path
    }
}
