import Logging

extension ServiceRuntime {
    /// A PostgreSQL pool for this service, wired into the ops contract:
    /// `postgres:responseTime` and (with migrations) `postgres:migrations` readiness checks,
    /// the pool's metrics, and, when `configuration.migrateOnStart`, migrations applied
    /// before the server starts. Pass the pool to `makeApplication(services:)` so it keeps
    /// its minimum connections and closes at shutdown.
    public func makePostgresPool(_ configuration: PostgresConfiguration, migrations: [Migration] = []) -> PostgresPool {
        let pool = PostgresPool(configuration: configuration, metrics: metrics, logger: logger)
        healthChecks.register(ResponseTimeHealthCheck(component: "postgres") { try await pool.query("SELECT 1") })
        guard !migrations.isEmpty else { return pool }
        let migrator = Migrator(schema: configuration.schema, migrations: migrations)
        healthChecks.register(MigrationsHealthCheck(migrator: migrator, pool: pool))
        if configuration.migrateOnStart {
            let logger = self.logger
            beforeServerStarts { try await migrator.migrate(on: pool, logger: logger) }
        }
        return pool
    }
}

/// `postgres:migrations`: passes once every migration the binary knows is applied.
struct MigrationsHealthCheck: HealthCheck {
    let migrator: Migrator
    let pool: PostgresPool
    var name: String { "postgres:migrations" }
    var componentType: String { "datastore" }

    func check() async throws -> HealthObservation {
        let applied = try await migrator.appliedVersions(on: pool)
        let pending = migrator.migrations.filter { applied[$0.version] == nil }.map(\.version)
        guard pending.isEmpty else {
            return HealthObservation(status: .fail, observedValue: .int(pending.count), observedUnit: "pending", output: "pending migrations: \(pending)")
        }
        return HealthObservation(status: .pass, observedValue: .int(applied.count), observedUnit: "applied")
    }
}
