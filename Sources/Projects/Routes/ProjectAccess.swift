import FlotillaKit
import HTTPTypes
import Hummingbird

/// Finds the project a route names by `{key}` and checks the caller's role in it. A project
/// the caller is not a member of is 404, exactly like a missing one (keys cannot be probed);
/// a member whose role is too low gets 403 naming the role needed. Platform admins may read
/// any project. An archived project is read-only (409 `project_archived`) until restored.
struct ProjectAccess: Sendable {
    let projects: ProjectRepository

    /// The project `{key}` when the caller holds at least `role` in it.
    func project(_ context: FlotillaRequestContext, needs role: ProjectRole, allowArchived: Bool = false) async throws -> (project: Project, principal: Principal) {
        let principal = try context.requirePrincipal()
        let key = context.parameters.get("key") ?? ""
        guard ProjectKey.isValid(key), let project = try await projects.find(key: key, user: principal.subject) else {
            throw Self.notFound(key)
        }
        try ProjectRole.authorize(held: project.role, needs: role, isPlatformAdmin: principal.isAdmin, in: key, notFound: Self.notFound(key))
        if project.isArchived && role > .viewer && !allowArchived {
            throw APIError(.conflict, code: "project_archived", message: "Project \(key) is archived and read-only; unarchive it first.")
        }
        return (project, principal)
    }

    static func notFound(_ key: String) -> APIError {
        APIError.notFound("No project '\(key.prefix(20))'.")
    }
}
