import FlotillaKit

/// `catalog`: the watch store's products — filters, pagination, a cached product read, and
/// an inventory decrement that cannot oversell.
@main
struct CatalogApp {
    static let identity = ServiceIdentity(name: "catalog", version: "0.1.0", defaultPort: 3015)

    static func main() async {
        await ServiceCommand.main(identity: identity, migrations: EmbeddedMigrations.all, seed: DemoProducts.seed) { environment in
            let configuration = CatalogConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
