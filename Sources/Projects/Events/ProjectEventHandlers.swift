import FlotillaKit

/// What projects does with other services' events: keep ``TaskProjection`` from tasks' events
/// (for the stats and the state-in-use check) and, once that has committed, drop the project's
/// cached stats; take a person users deactivated out of every project (``DeactivatedMember``).
struct ProjectEventHandlers: Sendable {
    let cache: RedisCache

    static let sources = ["tasks", "users"]
    static let types = ["task.created", "task.updated", "task.state_changed", "task.completed", "task.reopened", "task.deleted"]

    var handlers: EventHandlers {
        var handlers = EventHandlers()
        for type in Self.types {
            handlers.on(type) { event, session in
                try await TaskProjection.apply(event, in: session)
                // After the commit: dropped earlier, a stats read could cache the old counts again.
                if let project = event.optionalText("project_id") { await session.afterCommit { await cache.invalidate(group: project) } }
            }
        }
        handlers.on("user.deactivated") { event, session in
            try await DeactivatedMember.leaveEveryProject(try event.text("user_id"), actor: event.actor, in: session)
        }
        return handlers
    }
}
