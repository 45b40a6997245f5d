import FlotillaKit

/// What files does with other services' events: a deleted task's attachments go with it
/// (``FileWriter/deleteAll(on:actor:in:)``), so nobody's quota keeps counting files no one can
/// reach any more.
struct FileEventHandlers: Sendable {
    let writer: FileWriter

    static let sources = ["tasks"]

    var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.onTaskDeleted { task, actor, session in try await writer.deleteAll(on: task, actor: actor, in: session) }
        return handlers
    }
}
