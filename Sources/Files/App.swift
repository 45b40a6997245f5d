import FlotillaKit

/// `files`: files attached to entities of the fleet (`task:WEB-142`), stored once per
/// content (SHA-256) on a volume or in an S3-compatible bucket, uploaded whole or resumably (tus 1.0), with versions,
/// range downloads, shares with people and share links — access decided by the entity's owner.
@main
struct FilesApp {
    static let identity = ServiceIdentity(name: "files", version: "0.1.0", defaultPort: 3008)
    /// The service's schema: its own tables, the kit's outbox and the consumer's record of events handled.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 2) + [Outbox.publishedEventsMigration(version: 4), ProcessedEvents.migration(version: 5)]

    static func main() async {
        await ServiceCommand.main(identity: identity, migrations: migrations, seed: DemoFiles.seed, events: EventRoles(publishes: true, consumes: FileEventHandlers.sources)) { environment in
            let configuration = FilesConfiguration(environment: &environment)
            try environment.validate()
            return try buildApplication(configuration)
        }
    }
}
