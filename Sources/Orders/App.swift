import FlotillaKit

/// `orders`: checkout as a saga over catalog and customers, with idempotency keys, and the
/// order history customers reads.
@main
struct OrdersApp {
    static let identity = ServiceIdentity(name: "orders", version: "0.1.0", defaultPort: 3017)

    /// The service's schema: its own tables, then the kit's event outbox.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 3) + [Outbox.publishedEventsMigration(version: 5)]

    static func main() async {
        await ServiceCommand.main(identity: identity, migrations: migrations, seed: DemoOrders.seed, events: EventRoles(publishes: true)) { environment in
            let configuration = OrdersConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
