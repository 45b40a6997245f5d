import FlotillaKit
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Finds the habit a route names and checks the caller may use it. Another user's habit
/// is 404, exactly like a missing one, so ids cannot be probed; admins may read any habit
/// but change only their own (403, since for them its existence is no secret).
struct HabitAccess: Sendable {
    let habits: HabitRepository

    enum Intent {
        case read, write
    }

    /// The habit `{id}` for the caller, or the error to answer with.
    func habit(_ context: FlotillaRequestContext, for intent: Intent) async throws -> (habit: Habit, principal: Principal) {
        let principal = try context.requirePrincipal()
        let id = try Self.id(context)
        guard let habit = try await habits.find(id) else { throw Self.notFound(id) }
        if habit.ownerID == principal.subject { return (habit, principal) }
        guard principal.isAdmin else { throw Self.notFound(id) }
        guard intent == .read else {
            throw APIError.forbidden("Admins may read other users' habits but not change them.")
        }
        return (habit, principal)
    }

    /// The `{id}` path parameter, which must be a UUID (anything else cannot exist: 404).
    static func id(_ context: FlotillaRequestContext) throws(APIError) -> String {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw notFound(context.parameters.get("id") ?? "")
        }
        return id.lowercasedString
    }

    static func notFound(_ id: String) -> APIError {
        APIError.notFound("No habit with id '\(id.prefix(64))'.")
    }
}
