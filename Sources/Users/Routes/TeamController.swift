import FlotillaKit
import Hummingbird

/// `GET/POST /organizations/{slug}/teams`, `GET/PATCH/DELETE .../teams/{team}` and
/// `PUT/DELETE .../teams/{team}/members/{userID}`: any member reads, admins change.
struct TeamController: Sendable {
    let teams: TeamRepository
    let access: OrganizationAccess

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/organizations/{slug}/teams", use: list)
        group.post("/organizations/{slug}/teams", use: create)
        group.get("/organizations/{slug}/teams/{team}", use: show)
        group.patch("/organizations/{slug}/teams/{team}", use: update)
        group.delete("/organizations/{slug}/teams/{team}", use: delete)
        group.put("/organizations/{slug}/teams/{team}/members/{userID}", use: addMember)
        group.delete("/organizations/{slug}/teams/{team}/members/{userID}", use: removeMember)
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .guest)
        return JSONResponse.make(["data": try await teams.teams(of: organization)])
    }

    /// `{slug, name, description?}`.
    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .admin)
        var body = try await JSONObjectReader(request, context: context)
        let slug = body.string("slug", required: true, length: 1...40)
        let name = body.string("name", required: true, length: 1...100)
        let description = body.string("description", length: 0...500)
        if let slug = slug.value, !Slug.isValid(slug) { body.record("slug", Slug.rule) }
        try body.validate()
        let team = try await teams.create(in: organization, slug: slug.value!, name: name.value!, description: description.value.flatMap { $0.isEmpty ? nil : $0 })
        var response = JSONResponse.make(team, status: .created)
        response.headers[.location] = "/organizations/\(organization.slug)/teams/\(team.slug)"
        return response
    }

    /// The team with its members.
    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .guest)
        let team = try await find(context, in: organization)
        return JSONResponse.make(TeamDetail(team: team, members: try await teams.members(of: team)))
    }

    /// `{name?, description?}`.
    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .admin)
        let team = try await find(context, in: organization)
        var body = try await JSONObjectReader(request, context: context)
        let name = body.string("name", length: 1...100)
        let description = body.string("description", length: 0...500)
        if body.value("slug").isPresent { body.record("slug", "cannot change") }
        if name.isClear { body.record("name", "cannot be null") }
        try body.validate()
        return JSONResponse.make(try await teams.update(team, name: name.value, description: description))
    }

    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .admin)
        try await teams.delete(try await find(context, in: organization))
        return Response(status: .noContent)
    }

    /// Add a member of the organization to the team: 201 when added, 200 when already in it.
    @Sendable func addMember(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .admin)
        let team = try await find(context, in: organization)
        let added = try await teams.add(try OrganizationController.userID(context), to: team, in: organization)
        return JSONResponse.make(["data": try await teams.members(of: team)], status: added ? .created : .ok)
    }

    @Sendable func removeMember(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .admin)
        try await teams.remove(try OrganizationController.userID(context), from: try await find(context, in: organization))
        return Response(status: .noContent)
    }

    private func find(_ context: FlotillaRequestContext, in organization: Organization) async throws -> Team {
        let slug = context.parameters.get("team") ?? ""
        guard Slug.isValid(slug), let team = try await teams.find(slug, in: organization) else {
            throw APIError.notFound("No team '\(slug.prefix(40))' in \(organization.slug).")
        }
        return team
    }
}

/// `GET .../teams/{team}`: the team and its members.
struct TeamDetail: Encodable, Sendable {
    let team: Team
    let members: [OrganizationMember]

    func encode(to encoder: any Encoder) throws {
        try team.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(members, forKey: Key(stringValue: "members"))
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
