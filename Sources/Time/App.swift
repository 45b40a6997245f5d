import FlotillaKit

/// `time`: time entries and running timers on project tasks, Kimai's rounding, hourly rates
/// and costs, weekly timesheets with approval, and reports with CSV export.
@main
struct TimeApp {
    static let identity = ServiceIdentity(name: "time", version: "0.1.0", defaultPort: 3006)
    /// The service's schema: its own tables, the kit's outbox, and its consumer's record.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 2) + [ProcessedEvents.migration(version: 4), Outbox.publishedEventsMigration(version: 5)]

    static func main() async {
        await ServiceCommand.main(
            identity: identity, migrations: migrations, seed: DemoTime.seed, events: EventRoles(publishes: true, consumes: TimeEventHandlers.sources)
        ) { environment in
            let configuration = TimeConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
