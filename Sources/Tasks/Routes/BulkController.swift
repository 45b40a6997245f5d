import FlotillaKit
import HTTPTypes
import Hummingbird

/// `POST /tasks/bulk`: `{"tasks": [ref, …] (up to 100), "changes": {state_id | state_group,
/// assignees, label_ids, priority}}` applied in one transaction — all or nothing. When any
/// task cannot take the change, nothing changes and the answer names each task's problem in
/// `details.errors`.
struct BulkController: Sendable {
    let pool: PostgresPool
    let writer: TaskWriter
    let access: TaskAccess
    let maxTasks: Int

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/tasks/bulk", use: bulkUpdate)
    }

    @Sendable func bulkUpdate(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var body = try await JSONObjectReader(request, context: context)
        let references = body.strings("tasks", maxCount: maxTasks, length: 1...64, required: true)
        if references.value?.isEmpty == true { body.record("tasks", "name at least one task") }
        var changes = TaskChanges()
        if case .set(let fields) = body.object("changes", required: true) {
            var inner = JSONObjectReader(fields)
            let allowed = TaskChanges.read(&inner, creating: false)
            changes.stateID = allowed.stateID
            changes.stateGroup = allowed.stateGroup
            changes.priority = allowed.priority
            changes.assignees = allowed.assignees
            changes.labelIDs = allowed.labelIDs
            let extra = Set(fields.keys).subtracting(["state_id", "state_group", "priority", "assignees", "label_ids"])
            for (field, problem) in inner.problems { body.record("changes.\(field)", problem) }
            for field in extra { body.record("changes.\(field.prefix(40))", "cannot be changed in bulk (state_id, state_group, priority, assignees, label_ids)") }
            if changes.isEmpty && inner.problems.isEmpty && extra.isEmpty { body.record("changes", "name at least one change") }
        }
        try body.validate()

        // Authorize every task before the transaction (each project's answer is cached).
        var grants: [TaskAccess.Grant] = []
        var errors: [String: JSONValue] = [:]
        for reference in references.value! {
            do {
                let grant = try await access.task(reference, request, context, for: .write)
                let problems = changes.problems(in: grant.document, owner: grant.task.ownerID)
                if problems.isEmpty { grants.append(grant) } else { errors[reference] = .string(Self.describe(problems)) }
            } catch let error as APIError {
                errors[reference] = .string(error.message)
            }
        }
        if !errors.isEmpty { throw Self.refusal(errors, of: references.value!.count) }
        let updated = try await pool.withTransaction { session in
            var updated: [TaskItem] = []
            var failures: [String: JSONValue] = [:]
            for grant in grants {
                do {
                    updated.append(try await writer.update(grant.task.id, with: changes, actor: principal.subject, document: grant.document, in: session))
                } catch let error as APIError {
                    failures[grant.task.reference] = .string(error.message)
                }
            }
            // Throwing rolls back every change made above.
            if !failures.isEmpty { throw Self.refusal(failures, of: grants.count) }
            return updated
        }
        return JSONResponse.make(["data": updated])
    }

    static func describe(_ problems: [String: String]) -> String {
        problems.keys.sorted().map { "\($0) \(problems[$0]!)" }.joined(separator: "; ")
    }

    static func refusal(_ errors: [String: JSONValue], of count: Int) -> APIError {
        APIError(
            .conflict, code: "bulk_update_refused",
            message: "\(errors.count) of \(count) tasks cannot take the change, so none was changed: see details.errors.",
            details: ["errors": .object(errors)])
    }
}
