import FlotillaKit

/// What users does with auth's events: `user.registered` makes the person's profile (once,
/// however often the event arrives); `user.deleted` anonymises it and takes the person out of
/// everything (``Offboarding/forget(_:in:)``). Once either has committed, cached handle answers go.
struct UserEventHandlers: Sendable {
    let handles: HandleDirectory

    static let sources = ["auth"]

    var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.on("user.registered") { event, session in
            let created = try await ProfileRepository.createFromRegistration(
                user: try event.text("user_id"), email: try event.text("email"), name: event.optionalText("name") ?? "", in: session)
            if created { await session.afterCommit { await handles.changed() } }
        }
        handlers.on("user.deleted") { event, session in
            try await Offboarding.forget(try event.text("user_id"), in: session)
            await session.afterCommit { await handles.changed() }
        }
        return handlers
    }
}
