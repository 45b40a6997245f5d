import FlotillaKit

/// `gateway`: the fleet's front door. Routes public paths to services by a declarative
/// table, and verifies tokens, rate-limits, caches, and documents the API on the way.
@main
struct GatewayApp {
    static let identity = ServiceIdentity(name: "gateway", version: "0.1.0", defaultPort: 3000)

    static func main() async {
        await ServiceCommand.main(identity: identity) { environment in
            let configuration = GatewayConfiguration(environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
