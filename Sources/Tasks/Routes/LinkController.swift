import FlotillaKit
import HTTPTypes
import Hummingbird

/// Dependencies and relations of a task: `GET /tasks/{ref}/links`,
/// `POST /tasks/{ref}/dependencies` (`{"blocked_by": ref}` or `{"blocks": ref}`),
/// `DELETE /tasks/{ref}/dependencies/{other}`, `POST /tasks/{ref}/relations`
/// (`{"kind": "relates_to"|"duplicate_of", "task": ref}`) and
/// `DELETE /tasks/{ref}/relations/{kind}/{other}`. Writers of both tasks' projects only.
struct LinkController: Sendable {
    let dependencies: DependencyStore
    let access: TaskAccess

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/tasks/{ref}/links", use: links)
        group.post("/tasks/{ref}/dependencies", use: addDependency)
        group.delete("/tasks/{ref}/dependencies/{other}", use: removeDependency)
        group.post("/tasks/{ref}/relations", use: addRelation)
        group.delete("/tasks/{ref}/relations/{kind}/{other}", use: removeRelation)
    }

    @Sendable func links(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let grant = try await access.task(request, context, for: .read)
        return JSONResponse.make(try await dependencies.links(of: grant.task.id))
    }

    @Sendable func addDependency(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let grant = try await access.task(request, context, for: .write)
        var body = try await JSONObjectReader(request, context: context)
        let blockedBy = body.string("blocked_by", length: 1...64)
        let blocks = body.string("blocks", length: 1...64)
        if blockedBy.value == nil && blocks.value == nil || blockedBy.value != nil && blocks.value != nil {
            body.record("blocked_by", "send exactly one of blocked_by and blocks (a task id or key)")
        }
        try body.validate()
        let other = try await self.other(blockedBy.value ?? blocks.value!, of: grant, request, context)
        if blockedBy.value != nil {
            try await dependencies.add(blocker: other, blocked: grant.task, actor: grant.principal.subject)
        } else {
            try await dependencies.add(blocker: grant.task, blocked: other, actor: grant.principal.subject)
        }
        return JSONResponse.make(try await dependencies.links(of: grant.task.id), status: .created)
    }

    @Sendable func removeDependency(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let grant = try await access.task(request, context, for: .write)
        let other = try await self.other(context.parameters.get("other") ?? "", of: grant, request, context)
        guard try await dependencies.remove(grant.task, other, actor: grant.principal.subject) else {
            throw APIError.notFound("\(grant.task.reference) and \(other.reference) have no dependency.")
        }
        return Response(status: .noContent)
    }

    /// Adding a relation that exists is 200; a new one 201.
    @Sendable func addRelation(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let grant = try await access.task(request, context, for: .write)
        var body = try await JSONObjectReader(request, context: context)
        let kind = body.choice("kind", in: ["relates_to", "duplicate_of"], required: true)
        let target = body.string("task", required: true, length: 1...64)
        try body.validate()
        let other = try await self.other(target.value!, of: grant, request, context)
        let added = try await dependencies.relate(grant.task, other, kind: kind.value!, actor: grant.principal.subject)
        return JSONResponse.make(try await dependencies.links(of: grant.task.id), status: added ? .created : .ok)
    }

    @Sendable func removeRelation(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let grant = try await access.task(request, context, for: .write)
        let kind = context.parameters.get("kind") ?? ""
        guard ["relates_to", "duplicate_of"].contains(kind) else { throw APIError.notFound("No relation kind '\(kind.prefix(20))'; use relates_to or duplicate_of.") }
        let other = try await self.other(context.parameters.get("other") ?? "", of: grant, request, context)
        guard try await dependencies.unrelate(grant.task, other, kind: kind, actor: grant.principal.subject) else {
            throw APIError.notFound("\(grant.task.reference) has no \(kind) relation to \(other.reference).")
        }
        return Response(status: .noContent)
    }

    /// The other task of a link: visible to the caller and in the same project (or, for
    /// personal tasks, the same owner's).
    private func other(_ reference: String, of grant: TaskAccess.Grant, _ request: Request, _ context: FlotillaRequestContext) async throws -> TaskItem {
        let other = try await access.task(reference, request, context, for: .read).task
        guard other.projectID == grant.task.projectID, other.id != grant.task.id else {
            throw APIError.invalidField("task", "\(other.reference) is not another task of the same project as \(grant.task.reference).")
        }
        return other
    }
}
