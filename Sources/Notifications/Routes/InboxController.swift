import FlotillaKit
import Foundation
import HTTPTypes
import Hummingbird

/// The caller's inbox: `GET /notifications` (cursor pages; `unread`, `archived`, `category`),
/// `GET /notifications/unread-count`, `POST /notifications/read-all` and `/archive-read`,
/// `POST /notifications/{id}/read|unread|seen|archive|unarchive|snooze`, `DELETE /notifications/{id}`.
/// Another user's item is 404, as one that does not exist.
struct InboxController: Sendable {
    let inbox: InboxRepository

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/notifications", use: list)
        group.get("/notifications/unread-count", use: unreadCount)
        group.post("/notifications/read-all", use: readAll)
        group.post("/notifications/archive-read", use: archiveRead)
        for (action, change) in [("read", InboxRepository.Change.read), ("unread", .unread), ("seen", .seen), ("archive", .archive), ("unarchive", .unarchive)] {
            group.post("/notifications/{id}/\(action)") { request, context in try await apply(change, context) }
        }
        group.post("/notifications/{id}/snooze", use: snooze)
        group.delete("/notifications/{id}", use: delete)
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requirePrincipal().subject
        var query = QueryReader(request)
        var filter = InboxRepository.Filter()
        filter.limit = query.integer("limit", default: 20, in: 1...100)
        filter.unreadOnly = query.choice("unread", in: ["true", "false"]) == "true"
        filter.archived = query.choice("archived", in: ["true", "false"]) == "true"
        filter.category = query.choice("category", in: NotificationCategory.allCases.map(\.rawValue))
        if let cursor = query.raw("cursor") {
            if let position = Int64(cursor), position > 0 { filter.before = position } else { query.record("cursor", "is not a cursor this API gave out; use next_cursor from the previous page") }
        }
        try query.validate()
        let page = try await inbox.list(userID, filter)
        return JSONResponse.make(InboxPage(data: page.items, nextCursor: page.next.map(String.init)))
    }

    @Sendable func unreadCount(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(["unread": try await inbox.unreadCount(try context.requirePrincipal().subject)])
    }

    @Sendable func readAll(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requirePrincipal().subject
        var query = QueryReader(request)
        let category = query.choice("category", in: NotificationCategory.allCases.map(\.rawValue))
        try query.validate()
        return JSONResponse.make(["updated": try await inbox.readAll(userID, category: category)])
    }

    @Sendable func archiveRead(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(["archived": try await inbox.archiveRead(try context.requirePrincipal().subject)])
    }

    struct Snooze: Decodable {
        let until: String
    }

    @Sendable func snooze(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: Snooze.self, context: context)
        guard let until = RFC3339.parse(input.until) else {
            throw APIError.invalidField("until", "Give a time with its offset, e.g. 2026-12-06T18:00:00Z.")
        }
        guard until > Date() else { throw APIError.invalidField("until", "The snooze must end in the future.") }
        return try await apply(.snooze(until: until), context)
    }

    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requirePrincipal().subject
        guard try await inbox.delete(try Self.id(context), of: userID) else { throw Self.notFound(context) }
        return Response(status: .noContent)
    }

    private func apply(_ change: InboxRepository.Change, _ context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requirePrincipal().subject
        guard let item = try await inbox.apply(change, to: try Self.id(context), of: userID) else { throw Self.notFound(context) }
        return JSONResponse.make(item)
    }

    static func id(_ context: FlotillaRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw notFound(context) }
        return id
    }

    static func notFound(_ context: FlotillaRequestContext) -> APIError {
        APIError.notFound("No notification with id '\(context.parameters.get("id") ?? "")' in your inbox.")
    }
}
