import FlotillaKit

/// `notifications`: every profile's in-app inbox, email (SMTP through libcurl, or `.eml`
/// files), preferences with quiet hours, reminders, and the consumer of the fleet's events
/// that users should hear about.
@main
struct NotificationsApp {
    static let identity = ServiceIdentity(name: "notifications", version: "0.1.0", defaultPort: 3009)
    /// The service's schema: its own tables, the kit's outbox, and its consumer's record.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 2) + [ProcessedEvents.migration(version: 4), Outbox.publishedEventsMigration(version: 6)]

    static func main() async {
        await ServiceCommand.main(
            identity: identity, migrations: migrations, seed: DemoNotifications.seed,
            events: EventRoles(publishes: true, consumes: NotificationEventHandlers.sources)
        ) { environment in
            let configuration = NotificationsConfiguration(environment: &environment)
            try environment.validate()
            return try buildApplication(configuration)
        }
    }
}
