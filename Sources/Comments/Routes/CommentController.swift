import FlotillaKit
import HTTPTypes
import Hummingbird
import Prometheus
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /comments`, `GET/PATCH/DELETE /comments/{id}`: post on an entity the caller can read
/// (a reply names `reply_to`), read, edit your own, delete your own or moderate your project's.
struct CommentController: Sendable {
    let comments: CommentRepository
    let writer: CommentWriter
    let access: CommentAccess
    let mentions: MentionResolver
    let maxBodyLength: Int
    let metrics: CommentsMetrics

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/comments", use: create)
        group.get("/comments/{id}", use: show)
        group.patch("/comments/{id}", use: edit)
        group.delete("/comments/{id}", use: delete)
    }

    /// `{entity, body, reply_to?}`.
    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var input = try await JSONObjectReader(request, context: context)
        let entityText = input.string("entity", required: true, length: 3...80)
        let body = input.string("body", required: true, length: 1...maxBodyLength)
        let replyTo = input.string("reply_to", length: 1...40)
        let entity = entityText.value.flatMap(EntityReference.init)
        if entityText.value != nil && entity == nil { input.record("entity", EntityReference.expected) }
        if let body = body.value, body.allSatisfy(\.isWhitespace) { input.record("body", "must say something (it is only whitespace)") }
        let parent = replyTo.value.flatMap { UUID(uuidString: $0) }
        if replyTo.value != nil && parent == nil { input.record("reply_to", "must be the id of a comment") }
        try input.validate()
        try await access.requireReadable(entity!, request, principal)
        let mentioned = try await mentions.resolve(body.value!, on: entity!, request, principal)
        let comment = try await writer.create(.init(entity: entity!, replyTo: parent, body: body.value!, mentions: mentioned), author: principal.subject)
        metrics.posted.increment()
        if !mentioned.isEmpty { metrics.mentions.increment(by: Int64(mentioned.count)) }
        var response = JSONResponse.make(try await comments.withReactions([comment], for: principal.subject)[0], status: .created)
        response.headers[.location] = "/comments/\(comment.id.lowercasedString)"
        return response
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let comment = try await readable(request, context, principal)
        return JSONResponse.make(try await comments.withReactions([comment], for: principal.subject)[0])
    }

    /// `{body}`: the author only.
    @Sendable func edit(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let comment = try await readable(request, context, principal)
        var input = try await JSONObjectReader(request, context: context)
        let body = input.string("body", required: true, length: 1...maxBodyLength)
        for field in ["entity", "reply_to", "thread_id", "author_id"] where input.value(field).isPresent { input.record(field, "cannot change") }
        if let body = body.value, body.allSatisfy(\.isWhitespace) { input.record("body", "must say something (it is only whitespace)") }
        try input.validate()
        guard comment.authorID == principal.subject else { throw APIError.forbidden("Only the author of a comment edits it.") }
        let mentioned = try await mentions.resolve(body.value!, on: comment.entity, request, principal)
        let edited = try await writer.edit(comment.id, body: body.value!, mentions: mentioned, editor: principal.subject)
        metrics.edited.increment()
        return JSONResponse.make(try await comments.withReactions([edited], for: principal.subject)[0])
    }

    /// The author, the project's admins and platform admins; 204.
    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let comment = try await readable(request, context, principal)
        let moderator = comment.authorID == principal.subject ? false : try await access.moderates(comment.entity, request, principal)
        _ = try await writer.delete(comment.id, actor: principal.subject, moderator: moderator)
        metrics.deleted.increment()
        return Response(status: .noContent)
    }

    /// Comment `{id}` if the caller can read its entity (404 for anyone else, as for no comment).
    func readable(_ request: Request, _ context: FlotillaRequestContext, _ principal: Principal) async throws -> Comment {
        let id = try context.uuidParameter("id", what: "comment")
        guard let comment = try await comments.find(UUID(uuidString: id)!) else { throw APIError.notFound("No comment \(id).") }
        try await access.requireReadable(comment.entity, request, principal)
        return comment
    }
}
