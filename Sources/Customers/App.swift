import FlotillaKit

/// `customers`: the watch store's customers, with what they spent (from the orders
/// service) and the VIP tier it earns.
@main
struct CustomersApp {
    static let identity = ServiceIdentity(name: "customers", version: "0.1.0", defaultPort: 3016)

    static func main() async {
        await ServiceCommand.main(identity: identity, migrations: EmbeddedMigrations.all, seed: DemoCustomers.seed) { environment in
            let configuration = CustomersConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
