import FlotillaKit

/// `auth`: credentials, sessions and tokens for every profile. Other services only verify
/// the tokens it signs, with the public keys it publishes at `/.well-known/jwks.json`.
@main
struct AuthApp {
    static let identity = ServiceIdentity(name: "auth", version: "0.1.0", defaultPort: 3001)

    static func main() async {
        await ServiceCommand.main(identity: identity, migrations: EmbeddedMigrations.all) { environment in
            let configuration = AuthConfiguration(environment: &environment)
            try environment.validate()
            return try await buildApplication(configuration)
        }
    }
}
