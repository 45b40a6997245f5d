import FlotillaKit
import HTTPTypes
import Hummingbird
import Prometheus

/// `PUT /comments/{id}/reactions/{reaction}` (201 new, 200 already there) and `DELETE` of
/// the same (204): anyone who can read the comment reacts; the reply is the comment's
/// reactions.
struct ReactionController: Sendable {
    let reactions: ReactionRepository
    let comments: CommentRepository
    let single: CommentController
    let metrics: CommentsMetrics

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.put("/comments/{id}/reactions/{reaction}", use: add)
        group.delete("/comments/{id}/reactions/{reaction}", use: remove)
    }

    @Sendable func add(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (principal, comment, reaction) = try await target(request, context)
        let created = try await reactions.add(reaction, to: comment.id, by: principal.subject)
        if created { metrics.reactions.increment() }
        return JSONResponse.make(try await comments.withReactions([comment], for: principal.subject)[0], status: created ? .created : .ok)
    }

    @Sendable func remove(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (principal, comment, reaction) = try await target(request, context)
        _ = try await reactions.remove(reaction, from: comment.id, by: principal.subject)
        return Response(status: .noContent)
    }

    private func target(_ request: Request, _ context: FlotillaRequestContext) async throws -> (Principal, Comment, Reaction) {
        let principal = try context.requirePrincipal()
        let comment = try await single.readable(request, context, principal)
        let name = context.parameters.get("reaction") ?? ""
        guard let reaction = Reaction(rawValue: name) else {
            throw APIError.invalidField("reaction", "'\(name.prefix(20))' is not a reaction; use one of \(Reaction.listed)")
        }
        guard !comment.isPlaceholder else { throw APIError(.gone, code: "comment_deleted", message: "Comment \(comment.id.lowercasedString) was deleted.") }
        return (principal, comment, reaction)
    }
}
