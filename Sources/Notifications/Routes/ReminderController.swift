import FlotillaKit
import Foundation
import Hummingbird

/// `POST /reminders` (`{"title", "time": "07:30", "days": ["mon", …], "time_zone"}`; every day
/// when `days` is absent or empty; the caller's preference zone, else UTC, when `time_zone`
/// is absent), `GET /reminders`, `DELETE /reminders/{id}`. Reminders habits keeps in step with
/// its habits appear here too, with their `source`.
struct ReminderController: Sendable {
    let reminders: ReminderRepository
    let zones: ZoneInfoDatabase
    static let maxPerUser = 100

    struct Input: Decodable {
        let title: String?
        let time: String?
        let days: [String]?
        let timeZone: String?

        enum CodingKeys: String, CodingKey {
            case title, time, days
            case timeZone = "time_zone"
        }
    }

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/reminders", use: create)
        group.get("/reminders", use: list)
        group.delete("/reminders/{id}", use: delete)
    }

    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requirePrincipal().subject
        let input = try await request.decodeJSON(as: Input.self, context: context)
        let title = input.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard (1...200).contains(title.count) else { throw APIError.invalidField("title", "Give a title of 1 to 200 characters.") }
        guard let time = input.time.flatMap(ClockTime.init) else { throw APIError.invalidField("time", "Give a time as HH:MM (24-hour), e.g. 07:30.") }
        let days = try (input.days ?? []).map { name throws(APIError) -> Weekday in
            guard let day = Weekday(shortName: name) else { throw APIError.invalidField("days", "Use mon, tue, wed, thu, fri, sat and sun.") }
            return day
        }
        guard Set(days).count == days.count else { throw APIError.invalidField("days", "Name each day once.") }
        let zone: String
        if let given = input.timeZone {
            guard ZoneInfoDatabase.isPlausibleName(given), zones.zone(given) != nil else {
                throw APIError.invalidField("time_zone", "Give an IANA time zone, e.g. Europe/Berlin or America/New_York.")
            }
            zone = given
        } else {
            zone = try await reminders.pool.withConnection { try await $0.preferences(of: userID) }.timeZone
        }
        let reminder = try await reminders.create(.init(title: title, time: time, days: days.sorted(), timeZone: zone), for: userID, limit: Self.maxPerUser)
        var response = JSONResponse.make(reminder, status: .created)
        response.headers[.location] = "/reminders/\(reminder.id)"
        return response
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(["data": try await reminders.list(for: try context.requirePrincipal().subject)])
    }

    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requirePrincipal().subject
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text), try await reminders.delete(id, of: userID) else {
            throw APIError.notFound("No reminder with id '\(text)' of yours.")
        }
        return Response(status: .noContent)
    }
}
