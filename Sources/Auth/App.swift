import FlotillaKit

/// `auth`: credentials, sessions and tokens for every profile. Other services only verify
/// the tokens it signs, with the public keys it publishes at `/.well-known/jwks.json`.
@main
struct AuthApp {
    static let identity = ServiceIdentity(name: "auth", version: "0.1.0", defaultPort: 3001)

    /// The service's schema: its own tables, then the kit's event outbox.
    static let migrations = EmbeddedMigrations.all + Outbox.migrations(startingAt: 4) + [Outbox.publishedEventsMigration(version: 6)]

    static func main() async {
        await ServiceCommand.main(identity: identity, migrations: migrations, events: EventRoles(publishes: true)) { environment in
            let configuration = AuthConfiguration(environment: &environment)
            try environment.validate()
            return try await buildApplication(configuration)
        }
    }
}
