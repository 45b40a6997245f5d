import FlotillaKit

/// What comments does with other services' events: a deleted task's threads go with it
/// (``CommentWriter/deleteAll(on:actor:in:)``), rather than stay where nobody can reach them.
struct CommentEventHandlers: Sendable {
    let writer: CommentWriter

    static let sources = ["tasks"]

    var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.onTaskDeleted { task, actor, session in try await writer.deleteAll(on: task, actor: actor, in: session) }
        return handlers
    }
}
