import FlotillaKit

/// `orders`: checkout as a saga over catalog and customers, with idempotency keys, and the
/// order history customers reads.
@main
struct OrdersApp {
    static let identity = ServiceIdentity(name: "orders", version: "0.1.0", defaultPort: 3017)

    static func main() async {
        await ServiceCommand.main(identity: identity, migrations: EmbeddedMigrations.all, seed: DemoOrders.seed) { environment in
            let configuration = OrdersConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
