import FlotillaKit

/// `habits`: the habit tracker's core — habits with schedules and targets, daily check-ins,
/// and streaks, rates and calendars computed in each habit's own time zone.
@main
struct HabitsApp {
    static let identity = ServiceIdentity(name: "habits", version: "0.1.0", defaultPort: 3003)
    /// The service's schema: its own tables, then the kit's event outbox.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 2) + [Outbox.publishedEventsMigration(version: 4)]

    static func main() async {
        await ServiceCommand.main(identity: identity, migrations: migrations, seed: DemoHabits.seed, events: EventRoles(publishes: true)) { environment in
            let configuration = HabitsConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
