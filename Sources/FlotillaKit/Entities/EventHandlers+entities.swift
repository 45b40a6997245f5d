/// Handlers for the deletion of an entity other services attach things to (`task:WEB-142`).
extension EventHandlers {
    /// Handle tasks' `task.deleted` with the entity it names (`task:<key>`) and who deleted it
    /// (the task's owner when the event has no actor). A personal task has no key, so nothing
    /// of another service refers to it: its deletion is not passed on.
    public mutating func onTaskDeleted(_ handler: @escaping @Sendable (EntityReference, _ actor: String, PostgresSession) async throws -> Void) {
        on("task.deleted") { event, session in
            guard let key = event.optionalText("key") else { return }
            try await handler(EntityReference(kind: .task, id: key), event.actor ?? event.text("owner_id"), session)
        }
    }
}
