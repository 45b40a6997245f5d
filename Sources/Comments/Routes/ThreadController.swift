import FlotillaKit
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reading conversations: `GET /comments?entity=` (threads, oldest first, `q` searches the
/// plain text), `GET /comments/{id}/replies`, `GET /comments/{id}/revisions` and
/// `GET /comment-counts?entities=` (many entities in one request).
struct ThreadController: Sendable {
    let comments: CommentRepository
    let access: CommentAccess
    let single: CommentController

    static let maxCounted = 100

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/comments", use: threads)
        group.get("/comments/{id}/replies", use: replies)
        group.get("/comments/{id}/revisions", use: revisions)
        group.get("/comment-counts", use: counts)
    }

    @Sendable func threads(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let entity = query.string("entity", maxLength: 80).flatMap { text in
            let parsed = EntityReference(text)
            if parsed == nil { query.record("entity", EntityReference.expected) }
            return parsed
        }
        if query.raw("entity") == nil { query.record("entity", "is required: the entity whose comments to list, such as task:WEB-142") }
        let search = query.string("q", maxLength: 200)
        let (limit, after) = Self.page(&query)
        try query.validate()
        try await access.requireReadable(entity!, request, principal)
        let page = try await comments.threads(on: entity!, after: after, limit: limit, search: search.flatMap { $0.isEmpty ? nil : $0 })
        return try await respond(page, for: principal)
    }

    @Sendable func replies(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let root = try await single.readable(request, context, principal)
        var query = QueryReader(request)
        let (limit, after) = Self.page(&query)
        try query.validate()
        guard root.threadID == nil else { return try await respond(.init(comments: [], next: nil), for: principal) }
        return try await respond(try await comments.replies(to: root.id, after: after, limit: limit), for: principal)
    }

    @Sendable func revisions(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let comment = try await single.readable(request, context, principal)
        return JSONResponse.make(["data": try await comments.revisions(of: comment.id)])
    }

    /// `?entities=task:WEB-1,task:WEB-2` (at most 100): `{data: {"task:WEB-1": 3, …}}`. Reading
    /// a count needs read access to the entity's project, checked once per project.
    @Sendable func counts(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        var entities: [EntityReference] = []
        for item in (query.string("entities", maxLength: 8_000) ?? "").split(separator: ",") {
            guard let entity = EntityReference(item) else {
                query.record("entities", "'\(item.prefix(80))' \(EntityReference.expected)")
                break
            }
            if !entities.contains(entity) { entities.append(entity) }
        }
        if entities.isEmpty { query.record("entities", "name at least one entity, comma-separated, such as task:WEB-1,task:WEB-2") }
        if entities.count > Self.maxCounted { query.record("entities", "name at most \(Self.maxCounted) entities") }
        try query.validate()
        for project in Set(entities.map(\.project)).sorted() {
            try await access.requireReadable(EntityReference(kind: .project, id: project), request, principal)
        }
        let counts = try await comments.counts(entities)
        return JSONResponse.make(["data": Dictionary(uniqueKeysWithValues: counts.map { ($0.key.description, $0.value) })])
    }

    private func respond(_ page: CommentRepository.Page, for principal: Principal) async throws -> Response {
        JSONResponse.make(CommentPage(
            data: try await comments.withReactions(page.comments, for: principal.subject),
            nextCursor: page.next.map { KeysetCursor(sort: "position", values: [String($0)]).token }))
    }

    /// `limit` (1–100, 20) and the position a `cursor` continues after.
    private static func page(_ query: inout QueryReader) -> (limit: Int, after: Int64?) {
        let limit = query.integer("limit", default: 20, in: 1...100)
        let cursor = KeysetCursor.read(&query, sort: "position", columns: 1)
        return (limit, cursor.flatMap { Int64($0.values[0]) })
    }
}

/// A page of comments and the cursor of the next.
struct CommentPage: Codable, Sendable {
    let data: [Comment]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }
}
