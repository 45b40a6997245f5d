import FlotillaKit

/// `flotilla-kit-demo`: only the kit (ops endpoints) plus `GET /echo/{name}`, so the
/// contract every service inherits can be exercised end to end. Replaced by real services.
@main
struct DemoApp {
    static let identity = ServiceIdentity(name: "flotilla-kit-demo", version: "0.1.0", defaultPort: 8080)

    static func main() async {
        await ServiceCommand.main(identity: identity) { environment in
            let configuration = ServiceConfiguration(identity: identity, environment: &environment)
            try environment.validate()
            return buildApplication(configuration)
        }
    }
}
