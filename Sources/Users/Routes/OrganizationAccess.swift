import FlotillaKit
import HTTPTypes
import Hummingbird

/// Finds the organization a route names by `{slug}` and checks the caller's role in it. One
/// the caller is not a member of is 404, exactly like a missing one (slugs cannot be probed);
/// a member whose role is too low gets 403 naming the role needed. Platform admins may read
/// any organization.
struct OrganizationAccess: Sendable {
    let organizations: OrganizationRepository

    /// The organization `{slug}` when the caller holds at least `role` in it.
    func organization(_ context: FlotillaRequestContext, needs role: OrganizationRole) async throws -> (organization: Organization, principal: Principal) {
        let principal = try context.requirePrincipal()
        let slug = context.parameters.get("slug") ?? ""
        guard Slug.isValid(slug), let organization = try await organizations.find(slug: slug, user: principal.subject) else {
            throw Self.notFound(slug)
        }
        try OrganizationRole.authorize(held: organization.role, needs: role, isPlatformAdmin: principal.isAdmin, in: slug, notFound: Self.notFound(slug))
        return (organization, principal)
    }

    static func notFound(_ slug: String) -> APIError {
        APIError.notFound("No organization '\(slug.prefix(40))'.")
    }
}
