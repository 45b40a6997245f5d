import FlotillaKit
import HTTPTypes
import Hummingbird

/// Authorization for time, in this service: entries are their owner's alone (anyone else's
/// is 404); logging time in a project needs `member` there, changing its rates and rounding
/// `admin`, and approving a timesheet `admin` in every project it covers — each answered by
/// the projects service (``ProjectAccessClient``) for the caller's own token.
struct TimeAccess: Sendable {
    let projects: ProjectAccessClient

    /// Project `key` for the caller, who must hold `role` in it.
    func project(_ key: String, _ request: Request, _ principal: Principal, needs role: ProjectRole) async throws -> ProjectAccessDocument {
        guard ProjectKey.isValid(key) else { throw APIError.notFound("No project '\(key.prefix(20))'.") }
        let document = try await projects.document(project: key, user: principal.subject, authorization: request.headers[.authorization])
        try ProjectRole.authorize(held: document.role, needs: role, isPlatformAdmin: principal.isAdmin, in: key, notFound: .notFound("No project '\(key)'."))
        if role > .viewer && document.project.archived {
            throw APIError(.conflict, code: "project_archived", message: "Project \(key) is archived and read-only.")
        }
        return document
    }

    /// Whether the caller is an admin of every project in `keys`.
    func administers(_ keys: [String], _ request: Request, _ principal: Principal) async throws -> Bool {
        for key in keys {
            do {
                _ = try await project(key, request, principal, needs: .admin)
            } catch let error as APIError where [.notFound, .forbidden].contains(error.status) {
                return false
            }
        }
        return true
    }
}
