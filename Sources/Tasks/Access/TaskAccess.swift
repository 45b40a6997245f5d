import FlotillaKit
import HTTPTypes
import Hummingbird

/// Authorization for tasks, in this service: a personal task is its owner's alone; a project
/// task goes by the caller's role in its project (from ``ProjectAccessClient``): viewers
/// read, members write, admins delete. A task the caller may not see is 404 exactly like a
/// missing one; one they may see but not change is 403. Archived projects are read-only.
struct TaskAccess: Sendable {
    let store: TaskStore
    let projects: ProjectAccessClient

    enum Intent: Sendable {
        case read, write, delete

        var role: ProjectRole {
            switch self {
            case .read: .viewer
            case .write: .member
            case .delete: .admin
            }
        }
    }

    /// What a route works on: the task, its project's access document (nil for a personal
    /// task) and the caller.
    struct Grant: Sendable {
        let task: TaskItem
        let document: ProjectAccessDocument?
        let principal: Principal
    }

    /// The task `{ref}` of the route for the caller, checked for `intent`.
    func task(_ request: Request, _ context: FlotillaRequestContext, for intent: Intent) async throws -> Grant {
        try await task(context.parameters.get("ref") ?? "", request, context, for: intent)
    }

    /// The task `reference` for the caller, checked for `intent`.
    func task(_ reference: String, _ request: Request, _ context: FlotillaRequestContext, for intent: Intent) async throws -> Grant {
        let principal = try context.requirePrincipal()
        guard let task = try await store.find(reference) else { throw Self.notFound(reference) }
        guard let key = task.projectKey else {
            guard task.ownerID == principal.subject else { throw Self.notFound(reference) }
            return Grant(task: task, document: nil, principal: principal)
        }
        let document: ProjectAccessDocument
        do {
            document = try await project(key, request, principal, for: intent)
        } catch let error as APIError where error.status == .notFound {
            throw Self.notFound(reference)
        }
        return Grant(task: task, document: document, principal: principal)
    }

    /// The access document of project `key` for the caller, checked for `intent`.
    func project(_ key: String, _ request: Request, _ principal: Principal, for intent: Intent) async throws -> ProjectAccessDocument {
        let document = try await projects.document(project: key, user: principal.subject, authorization: request.headers[.authorization])
        guard document.role >= intent.role else {
            throw APIError.forbidden("Your role in \(key) is \(document.role.rawValue); this needs \(intent.role.rawValue) or above.")
        }
        if intent != .read && document.project.archived {
            throw APIError(.conflict, code: "project_archived", message: "Project \(key) is archived and read-only.")
        }
        return document
    }

    static func notFound(_ reference: String) -> APIError {
        APIError.notFound("No task '\(reference.prefix(64))'.")
    }
}
