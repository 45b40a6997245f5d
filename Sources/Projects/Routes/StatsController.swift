import FlotillaKit
import Hummingbird

/// `GET /projects/{key}/stats` (cached per project, dropped on every task event about it)
/// and `GET /projects/{key}/access`: what another service needs to authorize a caller in
/// the project — the caller's role, the workflow states, labels and members — in one read, which the
/// tasks service caches and drops on `project.member_*` and `project.workflow_changed`.
struct StatsController: Sendable {
    let access: ProjectAccess
    let projection: TaskProjection
    let workflow: WorkflowRepository
    let members: MemberRepository
    let cache: RedisCache

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/projects/{key}/stats", use: stats)
        group.get("/projects/{key}/access", use: accessDocument)
    }

    @Sendable func stats(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, _) = try await access.project(context, needs: .viewer)
        let lookup = try await cache.value(for: "stats", group: project.id, as: ProjectStats.self) {
            try await projection.stats(project: project.id)
        }
        guard let stats = lookup.value else { throw APIError.internalError }
        var response = JSONResponse.make(stats)
        response.headers[.init("X-Cache")!] = lookup.cached ? "hit" : "miss"
        return response
    }

    /// The access document: `{project: {id, key, name, archived}, role, states, labels, members}`.
    struct AccessDocument: Codable, Sendable {
        struct ProjectSummary: Codable, Sendable {
            let id: String
            let key: String
            let name: String
            let archived: Bool
        }

        let project: ProjectSummary
        let role: ProjectRole
        let states: [WorkflowState]
        let labels: [Label]
        let members: [Member]
    }

    @Sendable func accessDocument(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, _) = try await access.project(context, needs: .viewer)
        async let states = workflow.states(project: project.id)
        async let labels = workflow.labels(project: project.id)
        async let members = self.members.members(project: project.id)
        return JSONResponse.make(AccessDocument(
            project: .init(id: project.id, key: project.key, name: project.name, archived: project.isArchived),
            role: project.role ?? .viewer, states: try await states, labels: try await labels, members: try await members))
    }
}
