import FlotillaKit
import Hummingbird
import Prometheus

/// `POST/GET /organizations`, `GET/PATCH /organizations/{slug}`, its members
/// (`GET .../members`, `PATCH/DELETE .../members/{userID}`) and `POST .../transfer`.
struct OrganizationController: Sendable {
    let organizations: OrganizationRepository
    let memberships: MembershipRepository
    let access: OrganizationAccess
    let metrics: UsersMetrics

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/organizations", use: create)
        group.get("/organizations", use: list)
        group.get("/organizations/{slug}", use: show)
        group.patch("/organizations/{slug}", use: update)
        group.get("/organizations/{slug}/members", use: members)
        group.patch("/organizations/{slug}/members/{userID}", use: changeRole)
        group.delete("/organizations/{slug}/members/{userID}", use: remove)
        group.post("/organizations/{slug}/transfer", use: transfer)
    }

    /// `{slug, name}`; the caller becomes the owner.
    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var body = try await JSONObjectReader(request, context: context)
        let slug = body.string("slug", required: true, length: 1...40)
        let name = body.string("name", required: true, length: 1...100)
        if let slug = slug.value, !Slug.isValid(slug) { body.record("slug", Slug.rule) }
        try body.validate()
        let organization = try await organizations.create(slug: slug.value!, name: name.value!, owner: principal.subject)
        metrics.organizationsCreated.increment()
        var response = JSONResponse.make(organization, status: .created)
        response.headers[.location] = "/organizations/\(organization.slug)"
        return response
    }

    /// The caller's organizations: `limit`, `offset`.
    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let page = PageRequest(&query, defaultLimit: 20, maxLimit: 100)
        try query.validate()
        let (found, total) = try await organizations.list(user: principal.subject, page: page)
        return JSONResponse.make(OrganizationPage(data: found, pagination: page.info(total: total)))
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(try await access.organization(context, needs: .guest).organization)
    }

    /// `{name}`; the slug is immutable.
    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .admin)
        var body = try await JSONObjectReader(request, context: context)
        let name = body.string("name", required: true, length: 1...100)
        if body.value("slug").isPresent { body.record("slug", "cannot change: links and mentions use it") }
        try body.validate()
        return JSONResponse.make(try await organizations.rename(organization, to: name.value!))
    }

    @Sendable func members(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .guest)
        return JSONResponse.make(["data": try await memberships.members(of: organization)])
    }

    /// `{role}`.
    @Sendable func changeRole(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, principal) = try await access.organization(context, needs: .guest)
        var body = try await JSONObjectReader(request, context: context)
        let role = body.choice("role", in: OrganizationRole.listed, required: true)
        try body.validate()
        let member = try await memberships.change(
            try Self.userID(context), to: OrganizationRole(rawValue: role.value!)!, in: organization, actor: principal.subject)
        return JSONResponse.make(member)
    }

    /// Remove a member; anyone may remove themselves (leave), except the last owner.
    @Sendable func remove(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, principal) = try await access.organization(context, needs: .guest)
        _ = try await memberships.change(try Self.userID(context), to: nil, in: organization, actor: principal.subject)
        return Response(status: .noContent)
    }

    /// `{user_id}`: that member becomes an owner and the caller (an owner) an admin.
    @Sendable func transfer(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, principal) = try await access.organization(context, needs: .owner)
        var body = try await JSONObjectReader(request, context: context)
        let user = body.string("user_id", required: true, length: 1...200)
        try body.validate()
        try await memberships.transferOwnership(of: organization, from: principal.subject, to: user.value!)
        return JSONResponse.make(["data": try await memberships.members(of: organization)])
    }

    static func userID(_ context: FlotillaRequestContext) throws(APIError) -> String {
        guard let id = context.parameters.get("userID"), (1...200).contains(id.count) else { throw APIError.notFound("No such member.") }
        return id
    }
}

/// `GET /organizations`: a page of the caller's organizations.
struct OrganizationPage: Codable, Sendable {
    let data: [Organization]
    let pagination: PageInfo
}
