import FlotillaKit

/// `tasks`: project tasks with human keys (`WEB-142`) and personal tasks; assignees, labels,
/// sub-tasks, dependencies and relations, recurrence, an activity log, filtered cursor
/// lists with full-text search, and bulk updates — authorized by the caller's role in the
/// project, as the projects service says.
@main
struct TasksApp {
    static let identity = ServiceIdentity(name: "tasks", version: "0.1.0", defaultPort: 3004)
    /// The service's schema: its own tables, the kit's outbox, and its consumer's record.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 2) + [ProcessedEvents.migration(version: 4), Outbox.publishedEventsMigration(version: 5)]

    static func main() async {
        await ServiceCommand.main(
            identity: identity, migrations: migrations, seed: DemoTasks.seed, events: EventRoles(publishes: true, consumes: TaskEventHandlers.sources)
        ) { environment in
            let configuration = TasksConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
