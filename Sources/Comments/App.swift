import FlotillaKit

/// `comments`: threads on any entity of the fleet (`task:WEB-142`), one level of replies,
/// Markdown bodies with @mentions, reactions, and edit history — access decided by the
/// entity's owner.
@main
struct CommentsApp {
    static let identity = ServiceIdentity(name: "comments", version: "0.1.0", defaultPort: 3007)
    /// The service's schema: its own tables, the kit's outbox and the consumer's record of events handled.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 2) + [Outbox.publishedEventsMigration(version: 4), ProcessedEvents.migration(version: 5)]

    static func main() async {
        await ServiceCommand.main(identity: identity, migrations: migrations, seed: DemoComments.seed, events: EventRoles(publishes: true, consumes: CommentEventHandlers.sources)) { environment in
            let configuration = CommentsConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
