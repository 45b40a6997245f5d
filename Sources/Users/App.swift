import FlotillaKit

/// `users`: profiles (made from registrations), handles for mentions, preferences,
/// organizations with ordered roles, teams and invitations, and offboarding.
@main
struct UsersApp {
    static let identity = ServiceIdentity(name: "users", version: "0.1.0", defaultPort: 3002)
    /// The service's schema: its own tables, the kit's outbox, and its consumer's record.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 2) + [ProcessedEvents.migration(version: 4), Outbox.publishedEventsMigration(version: 5)]

    static func main() async {
        await ServiceCommand.main(
            identity: identity, migrations: migrations, seed: DemoUsers.seed, events: EventRoles(publishes: true, consumes: UserEventHandlers.sources)
        ) { environment in
            let configuration = UsersConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
