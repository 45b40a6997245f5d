import FlotillaKit
import HTTPTypes
import Hummingbird
import Prometheus

/// `PUT/DELETE /habits/{id}/check-ins/{date}` and `GET /habits/{id}/check-ins?from=&to=`.
/// Dates are local days in the habit's time zone (`YYYY-MM-DD`).
struct CheckInController: Sendable {
    let checkIns: CheckInRepository
    let access: HabitAccess
    let cache: HabitsCache
    let clock: HabitClock
    let metrics: HabitsMetrics

    /// Longest range one listing may cover.
    static let maxRangeDays = 366

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.put("/habits/{id}/check-ins/{date}", use: record)
        group.delete("/habits/{id}/check-ins/{date}", use: undo)
        group.get("/habits/{id}/check-ins", use: list)
    }

    /// Check in (201 for a new day, 200 when the day's check-in is replaced or repeated).
    @Sendable func record(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (habit, _) = try await access.habit(context, for: .write)
        let date = try Self.date(context)
        let input = try await request.decodeJSONIfPresent(as: CheckInInput.self, context: context) ?? CheckInInput()
        try input.validate()
        if habit.isArchived {
            throw APIError(.conflict, code: "habit_archived", message: "This habit is archived; unarchive it to check in.")
        }
        let today = clock.today(in: habit.timezone)
        try CheckInInput.validate(date: date, today: today, timezone: habit.timezone)
        let recorded = try await checkIns.record(habit, date: date, value: input.value ?? 1, note: input.note, today: today)
        metrics.checkIns(recorded.created ? "created" : "updated").increment()
        await cache.invalidate(owner: habit.ownerID)
        return JSONResponse.make(
            RecordedCheckIn(checkIn: recorded.checkIn, currentStreak: recorded.streakAfter, streakExtended: recorded.streakAfter > recorded.streakBefore),
            status: recorded.created ? .created : .ok)
    }

    @Sendable func undo(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (habit, _) = try await access.habit(context, for: .write)
        let date = try Self.date(context)
        guard try await checkIns.delete(habitID: habit.id, date: date) else {
            throw APIError.notFound("There is no check-in on \(date) for this habit.")
        }
        metrics.checkIns("undone").increment()
        await cache.invalidate(owner: habit.ownerID)
        return Response(status: .noContent)
    }

    /// `from` and `to` default to the 30 days ending today.
    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (habit, _) = try await access.habit(context, for: .read)
        let range = try DateRangeQuery(request, today: clock.today(in: habit.timezone), defaultDays: 30, maxDays: Self.maxRangeDays)
        let found = try await checkIns.list(habitID: habit.id, from: range.from, through: range.to)
        return JSONResponse.make(CheckInList(data: found, from: range.from, to: range.to))
    }

    static func date(_ context: FlotillaRequestContext) throws(APIError) -> LocalDate {
        let text = context.parameters.get("date") ?? ""
        guard let date = LocalDate(text) else {
            throw APIError.invalidField("date", "'\(text.prefix(40))' is not a date; use YYYY-MM-DD, such as 2024-03-10.")
        }
        return date
    }
}

/// The answer to a check-in: the row and what it did to the streak.
struct RecordedCheckIn: Encodable, Sendable {
    let checkIn: CheckIn
    let currentStreak: Int
    let streakExtended: Bool

    func encode(to encoder: any Encoder) throws {
        try checkIn.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(currentStreak, forKey: .currentStreak)
        try container.encode(streakExtended, forKey: .streakExtended)
    }

    enum Key: String, CodingKey {
        case currentStreak = "current_streak", streakExtended = "streak_extended"
    }
}

struct CheckInList: Encodable, Sendable {
    let data: [CheckIn]
    let from: LocalDate
    let to: LocalDate
}
