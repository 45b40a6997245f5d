import FlotillaKit

/// The customers service's settings, from the environment (the kit's shared ones; it calls orders).
struct CustomersConfiguration: Sendable {
    var base: DataServiceConfiguration

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: CustomersApp.identity, calls: ["orders"], environment: &environment)
    }
}
