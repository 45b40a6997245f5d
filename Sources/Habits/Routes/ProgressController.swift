import FlotillaKit
import HTTPTypes
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /habits/{id}/stats`, `GET /habits/today` and `GET /habits/summary`: progress
/// computed by ``HabitProgress`` in each habit's time zone, cached per owner until their
/// next write.
struct ProgressController: Sendable {
    let habits: HabitRepository
    let checkIns: CheckInRepository
    let access: HabitAccess
    let cache: HabitsCache
    let clock: HabitClock

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/habits/today", use: today)
        group.get("/habits/summary", use: summary)
        group.get("/habits/{id}/stats", use: stats)
    }

    /// `from`/`to` choose the calendar's days (default: the last 30, at most 366).
    @Sendable func stats(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (habit, _) = try await access.habit(context, for: .read)
        let today = clock.today(in: habit.timezone)
        let range = try DateRangeQuery(request, today: today, defaultDays: 30, maxDays: CheckInController.maxRangeDays)
        let lookup = try await cache.value(owner: habit.ownerID, key: "stats:\(habit.id):\(today):\(range.from):\(range.to)", as: HabitStats.self) {
            HabitStats(habit: habit, progress: HabitProgress(try await checkIns.timeline(of: habit, today: today)), calendar: range)
        }
        return cache.response(lookup)
    }

    /// The caller's active habits that ask for something today, with how today stands.
    @Sendable func today(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let owner = try context.requirePrincipal().subject
        let now = clock.now()
        let lookup = try await cache.value(owner: owner, key: "today:\(Int(now.timeIntervalSince1970) / 60)", as: HabitTodayList.self) {
            let active = try await habits.all(owner: owner).filter { !$0.isArchived }
            let timelines = try await checkIns.timelines(of: active) { clock.today(in: $0.timezone) }
            let due = active.compactMap { habit -> HabitToday? in
                guard let timeline = timelines[habit.id] else { return nil }
                let progress = HabitProgress(timeline)
                guard progress.today.due else { return nil }
                return HabitToday(
                    habit: habit, today: timeline.today, state: progress.today.state, value: timeline.values[timeline.today] ?? 0,
                    target: habit.target, currentStreak: progress.currentStreak)
            }
            return HabitTodayList(data: due)
        }
        return cache.response(lookup)
    }

    @Sendable func summary(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let owner = try context.requirePrincipal().subject
        let now = clock.now()
        let lookup = try await cache.value(owner: owner, key: "summary:\(Int(now.timeIntervalSince1970) / 60)", as: HabitSummary.self) {
            let all = try await habits.all(owner: owner)
            let timelines = try await checkIns.timelines(of: all) { clock.today(in: $0.timezone) }
            return Self.summarize(all, timelines: timelines)
        }
        return cache.response(lookup)
    }

    static func summarize(_ habits: [Habit], timelines: [String: HabitTimeline]) -> HabitSummary {
        var dueToday = 0, completedToday = 0, totalCheckIns = 0, onAStreak = 0
        var best: HabitSummary.StreakHolder?, longest: HabitSummary.StreakHolder?
        for habit in habits {
            guard let timeline = timelines[habit.id] else { continue }
            let progress = HabitProgress(timeline)
            totalCheckIns += progress.totalCheckIns
            let longestStreak = progress.longestStreak
            if longestStreak > (longest?.streak ?? 0) { longest = .init(habitID: habit.id, name: habit.name, streak: longestStreak) }
            guard !habit.isArchived else { continue }
            let today = progress.today
            if today.due { dueToday += 1 }
            if today.state == .completed { completedToday += 1 }
            let current = progress.currentStreak
            if current > 0 { onAStreak += 1 }
            if current > (best?.streak ?? 0) { best = .init(habitID: habit.id, name: habit.name, streak: current) }
        }
        return HabitSummary(
            activeHabits: habits.count { !$0.isArchived }, archivedHabits: habits.count(where: \.isArchived), dueToday: dueToday,
            completedToday: completedToday, totalCheckIns: totalCheckIns, habitsOnAStreak: onAStreak,
            bestCurrentStreak: best, longestStreakEver: longest)
    }
}
