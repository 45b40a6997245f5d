import FlotillaKit

/// `catalog`: the watch store's products — filters, pagination, a cached product read, and
/// an inventory decrement that cannot oversell.
@main
struct CatalogApp {
    static let identity = ServiceIdentity(name: "catalog", version: "0.1.0", defaultPort: 3015)

    /// The service's schema: its own tables, then the kit's event outbox.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 2) + [Outbox.publishedEventsMigration(version: 4)]

    static func main() async {
        await ServiceCommand.main(identity: identity, migrations: migrations, seed: DemoProducts.seed, events: EventRoles(publishes: true)) { environment in
            let configuration = CatalogConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
