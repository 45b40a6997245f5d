import FlotillaKit
import HTTPTypes
import Hummingbird

/// Authorization for files, in this service: whether the caller can read the file's entity is
/// its owner's answer (``EntityAccessClient``), whether they moderate it projects' (admins and
/// owners), and what a share grants this service's own record. A file they cannot see is 404;
/// one they see but may not change 403.
struct FileAccess: Sendable {
    let entities: EntityAccessClient
    let projects: ProjectAccessClient
    let shares: ShareRepository

    /// Return if the caller may read (and attach files to) `entity`; 404 or 503 otherwise.
    func requireReadable(_ entity: EntityReference, _ request: Request, _ principal: Principal) async throws {
        try await entities.requireReadable(entity, user: principal.subject, authorization: request.headers[.authorization])
    }

    /// Return if the caller may do `permission` with `file`: 404 when they may not see it,
    /// 403 when they see it but may not do this. Projects is asked about moderation only
    /// when nothing else grants it.
    func authorize(_ permission: FilePermission, on file: StoredFile, _ request: Request, _ principal: Principal) async throws {
        var standing = FilePermission.Standing()
        standing.shared = try await shares.permissions(of: principal.subject, on: file.id)
        standing.isUploader = file.uploaderID == principal.subject
        do {
            try await requireReadable(file.entity, request, principal)
            standing.readsEntity = true
        } catch let error as APIError where error.status == .notFound || (error.status == .serviceUnavailable && !standing.shared.isEmpty) {
            standing.readsEntity = false
        }
        guard FilePermission.canSee(standing) else { throw APIError.notFound("No file \(file.id.lowercasedString).") }
        if !permission.isGranted(to: standing) && standing.readsEntity {
            standing.moderates = principal.isAdmin
            if !standing.moderates {
                standing.moderates = try await projects.administers(project: file.entity.project, user: principal.subject, authorization: request.headers[.authorization])
            }
        }
        guard permission.isGranted(to: standing) else {
            let verb = permission == .update ? "upload new versions of" : permission.rawValue
            throw APIError.forbidden("You may not \(verb) this file; its uploader, the project's admins or a share with '\(permission.rawValue)' can.")
        }
    }
}
