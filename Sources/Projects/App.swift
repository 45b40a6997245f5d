import FlotillaKit

/// `projects`: projects with their members and roles, workflow states in fixed groups,
/// labels, milestones and templates; the authority other services ask about membership.
@main
struct ProjectsApp {
    static let identity = ServiceIdentity(name: "projects", version: "0.1.0", defaultPort: 3005)
    /// The service's schema: its own tables, the kit's outbox, and its consumer's record.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 2) + [ProcessedEvents.migration(version: 4), Outbox.publishedEventsMigration(version: 5)]

    static func main() async {
        await ServiceCommand.main(
            identity: identity, migrations: migrations, seed: DemoProjects.seed, events: EventRoles(publishes: true, consumes: ProjectEventHandlers.sources)
        ) { environment in
            let configuration = ProjectsConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
