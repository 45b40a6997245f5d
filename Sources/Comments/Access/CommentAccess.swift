import FlotillaKit
import HTTPTypes
import Hummingbird

/// Authorization for comments, decided by the services that own what is commented on: a
/// caller who can read the entity (its owner's `GET`, ``EntityAccessClient``) reads and adds
/// comments on it; only a comment's author edits it; its author, the project's admins
/// (``ProjectAccessClient``) and platform admins delete it.
struct CommentAccess: Sendable {
    let entities: EntityAccessClient
    let projects: ProjectAccessClient

    /// Return if the caller may read (and comment on) `entity`; 404 or 503 otherwise.
    func requireReadable(_ entity: EntityReference, _ request: Request, _ principal: Principal) async throws {
        try await entities.requireReadable(entity, user: principal.subject, authorization: request.headers[.authorization])
    }

    /// Whether the caller moderates `entity`'s project (admin or owner there, or platform admin).
    func moderates(_ entity: EntityReference, _ request: Request, _ principal: Principal) async throws -> Bool {
        if principal.isAdmin { return true }
        return try await projects.administers(project: entity.project, user: principal.subject, authorization: request.headers[.authorization])
    }

    /// Of `users`, those who are members of `entity`'s project (so can see it and be told).
    func members(of entity: EntityReference, among users: [String], _ request: Request, _ principal: Principal) async throws -> [String] {
        guard !users.isEmpty else { return [] }
        let document = try await projects.document(project: entity.project, user: principal.subject, authorization: request.headers[.authorization])
        return users.filter(document.isMember)
    }
}
