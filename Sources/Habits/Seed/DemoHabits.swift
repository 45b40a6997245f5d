import FlotillaKit
import Logging

/// A demo user (`demo-user`: get a token for it from auth's dev token route) with a dozen
/// habits and 90 days of history, loaded by `habits seed`. Ids are fixed, so running it again
/// changes nothing; the history is generated from a fixed seed, with weaker weekends.
enum DemoHabits {
    static let owner = "demo-user"
    static let timezone = "Europe/Berlin"
    static let days = 90

    struct Demo {
        let name: String
        let schedule: HabitSchedule
        let target: Int
        let unit: String?
        let color: String
        let icon: String
        /// Chance of meeting the target on a given weekday.
        let reliability: Double
    }

    static let habits: [Demo] = [
        Demo(name: "Drink water", schedule: .daily, target: 8, unit: "glasses", color: "#2196f3", icon: "💧", reliability: 0.85),
        Demo(name: "Morning run", schedule: .weekdays([.monday, .wednesday, .friday]), target: 1, unit: nil, color: "#f44336", icon: "🏃", reliability: 0.8),
        Demo(name: "Read", schedule: .daily, target: 20, unit: "pages", color: "#795548", icon: "📚", reliability: 0.7),
        Demo(name: "Meditate", schedule: .daily, target: 10, unit: "minutes", color: "#9c27b0", icon: "🧘", reliability: 0.75),
        Demo(name: "Gym", schedule: .timesPerWeek(3), target: 1, unit: nil, color: "#ff9800", icon: "🏋️", reliability: 0.5),
        Demo(name: "Call family", schedule: .everyNDays(7), target: 1, unit: nil, color: "#e91e63", icon: "📞", reliability: 0.3),
        Demo(name: "No sugar", schedule: .daily, target: 1, unit: nil, color: "#607d8b", icon: "🍎", reliability: 0.6),
        Demo(name: "Journal", schedule: .daily, target: 1, unit: nil, color: "#3f51b5", icon: "📝", reliability: 0.65),
        Demo(name: "Learn Spanish", schedule: .weekdays([.monday, .tuesday, .wednesday, .thursday, .friday]), target: 15, unit: "minutes",
             color: "#ffc107", icon: "🇪🇸", reliability: 0.7),
        Demo(name: "Water the plants", schedule: .everyNDays(3), target: 1, unit: nil, color: "#4caf50", icon: "🪴", reliability: 0.5),
        Demo(name: "Stretch", schedule: .daily, target: 1, unit: nil, color: "#00bcd4", icon: "🤸", reliability: 0.8),
        Demo(name: "In bed by 23:00", schedule: .daily, target: 1, unit: nil, color: "#673ab7", icon: "🌙", reliability: 0.55),
    ]

    @Sendable static func seed(_ pool: PostgresPool, _ logger: Logger) async throws -> String {
        let today = HabitClock.system.today(in: timezone)
        let start = today.adding(days: -days)
        var created = 0, checkIns = 0
        for (index, demo) in habits.enumerated() {
            let id = "00000000-0000-4000-8000-\(String(index + 1).leftPadded(to: 12))"
            var random = SeededRandom(seed: UInt64(index + 1))
            let inserted = try await pool.withTransaction { session -> Int? in
                let rows = try await session.query(
                    """
                    INSERT INTO habits (id, owner_id, name, schedule, target, unit, timezone, color, icon, created_on, reminder_time)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '08:00') ON CONFLICT (id) DO NOTHING RETURNING id
                    """,
                    [id, owner, demo.name, PostgresJSON(demo.schedule), demo.target, demo.unit, timezone, demo.color, demo.icon, start]).rows
                guard !rows.isEmpty else { return nil }
                var count = 0
                for day in start.through(today.adding(days: -1)) {
                    let weekend = day.weekday >= .saturday
                    let chance = demo.reliability * (weekend ? 0.7 : 1)
                    guard random.nextUnit() < chance else { continue }
                    // Now and then a day falls short of the target.
                    let value = demo.target > 1 && random.nextUnit() < 0.15 ? demo.target / 2 : demo.target
                    try await session.query("INSERT INTO check_ins (habit_id, date, value) VALUES ($1, $2, $3)", [id, day, max(1, value)])
                    count += 1
                }
                return count
            }
            if let inserted {
                created += 1
                checkIns += inserted
            }
        }
        return "\(created) of \(habits.count) demo habits inserted for \(owner), with \(checkIns) check-ins"
    }
}
