import FlotillaKit
import Hummingbird

/// `GET/POST /projects/{key}/members`, `PATCH/DELETE /projects/{key}/members/{userID}` and
/// `POST /projects/{key}/transfer`, under ``MembershipRules``.
struct MemberController: Sendable {
    let members: MemberRepository
    let access: ProjectAccess

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/projects/{key}/members", use: list)
        group.post("/projects/{key}/members", use: add)
        group.patch("/projects/{key}/members/{userID}", use: changeRole)
        group.delete("/projects/{key}/members/{userID}", use: remove)
        group.post("/projects/{key}/transfer", use: transfer)
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, _) = try await access.project(context, needs: .viewer)
        return JSONResponse.make(["data": try await members.members(project: project.id)])
    }

    /// `{user_id, role}` (role defaults to `member`).
    @Sendable func add(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .admin)
        var body = try await JSONObjectReader(request, context: context)
        let user = body.string("user_id", required: true, length: 1...200)
        let role = body.choice("role", in: ProjectRole.listed)
        try body.validate()
        let member = try await members.apply(
            .add(role.value.flatMap(ProjectRole.init(rawValue:)) ?? .member), to: user.value!, in: project, actor: principal.subject)
        return JSONResponse.make(member, status: .created)
    }

    /// `{role}`.
    @Sendable func changeRole(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .viewer)
        var body = try await JSONObjectReader(request, context: context)
        let role = body.choice("role", in: ProjectRole.listed, required: true)
        try body.validate()
        let member = try await members.apply(
            .setRole(ProjectRole(rawValue: role.value!)!), to: try Self.userID(context), in: project, actor: principal.subject)
        return JSONResponse.make(member)
    }

    /// Remove a member; anyone may remove themselves (leave), except the last owner.
    @Sendable func remove(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .viewer)
        _ = try await members.apply(.remove, to: try Self.userID(context), in: project, actor: principal.subject)
        return Response(status: .noContent)
    }

    /// `{user_id}`: that member becomes an owner and the caller (an owner) an admin.
    @Sendable func transfer(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .owner)
        var body = try await JSONObjectReader(request, context: context)
        let user = body.string("user_id", required: true, length: 1...200)
        try body.validate()
        try await members.transferOwnership(of: project, from: principal.subject, to: user.value!)
        return JSONResponse.make(["data": try await members.members(project: project.id)])
    }

    static func userID(_ context: FlotillaRequestContext) throws(APIError) -> String {
        guard let id = context.parameters.get("userID"), (1...200).contains(id.count) else { throw APIError.notFound("No such member.") }
        return id
    }
}
