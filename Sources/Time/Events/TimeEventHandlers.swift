import FlotillaKit

/// What time does with other services' events:
/// - users `user.profile_updated`: remember the person's zone (days, weeks and reports follow it);
/// - projects `project.member_*`, `project.archived|unarchived`: drop cached access answers
///   of the project, so a removed member loses access at once.
struct TimeEventHandlers: Sendable {
    let projects: ProjectAccessClient

    static let sources = ["users", "projects"]
    static let invalidating = ["project.member_added", "project.member_removed", "project.member_role_changed", "project.archived", "project.unarchived"]

    var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.on("user.profile_updated") { event, session in
            try await UserZones.save(try event.text("time_zone"), for: try event.text("user_id"), in: session)
        }
        for type in Self.invalidating {
            handlers.on(type) { event, session in
                let key = try event.text("key")
                await session.afterCommit { await projects.invalidate(project: key) }
            }
        }
        return handlers
    }
}
