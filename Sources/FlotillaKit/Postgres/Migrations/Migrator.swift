import Logging

/// Applies a service's migrations to its schema.
///
/// Runs under a PostgreSQL advisory lock keyed by the schema, so replicas starting together
/// take turns and the second finds nothing to do. Each migration runs in its own
/// transaction together with its row in `<schema>.schema_migrations` (version, name,
/// checksum, applied_at). Refuses to run when an applied migration's checksum changed.
public struct Migrator: Sendable {
    public let schema: String
    public let migrations: [Migration]

    public init(schema: String, migrations: [Migration]) {
        self.schema = schema
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Apply every pending migration; returns the versions applied (empty when up to date).
    @discardableResult
    public func migrate(on pool: PostgresPool, logger: Logger) async throws -> [Int] {
        guard PostgresConfiguration.isValidIdentifier(schema) else { throw MigrationError.invalidSchema(schema) }
        if let duplicate = Dictionary(grouping: migrations, by: \.version).first(where: { $0.value.count > 1 })?.key {
            throw MigrationError.duplicateVersion(duplicate)
        }
        return try await pool.withConnection { session in
            try await session.query("SELECT pg_advisory_lock(hashtext($1))", ["flotilla.migrations." + schema])
            do {
                let applied = try await apply(session, logger: logger)
                try await session.query("SELECT pg_advisory_unlock(hashtext($1))", ["flotilla.migrations." + schema])
                return applied
            } catch {
                _ = try? await session.query("SELECT pg_advisory_unlock(hashtext($1))", ["flotilla.migrations." + schema])
                throw error
            }
        }
    }

    /// Versions recorded as applied, with their checksums.
    public func appliedVersions(on pool: PostgresPool) async throws -> [Int: String] {
        try await pool.withConnection { try await recorded($0) }
    }

    private func apply(_ session: PostgresSession, logger: Logger) async throws -> [Int] {
        try await session.query("CREATE SCHEMA IF NOT EXISTS \(schema)")
        try await session.query("""
            CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (
              version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
              applied_at timestamptz NOT NULL DEFAULT now())
            """)
        let recorded = try await recorded(session)
        let known = Set(migrations.map(\.version))
        // A schema ahead of the binary is normal mid-rollout (expand/contract): note it, go on.
        let ahead = recorded.keys.filter { !known.contains($0) }.sorted()
        if !ahead.isEmpty {
            logger.warning("database has migrations this binary does not know", metadata: ["schema": "\(schema)", "versions": "\(ahead)"])
        }
        for migration in migrations {
            if let checksum = recorded[migration.version], checksum != migration.checksum {
                throw MigrationError.checksumMismatch(version: migration.version, name: migration.name, recorded: checksum, current: migration.checksum)
            }
        }
        var applied = [Int]()
        for migration in migrations where recorded[migration.version] == nil {
            let started = ContinuousClock.now
            try await session.query("BEGIN")
            do {
                try await session.query("SET LOCAL search_path TO \(schema), public")
                try await session.executeScript(migration.sql)
                try await session.query(
                    "INSERT INTO \(schema).schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum]
                )
                try await session.query("COMMIT")
            } catch {
                _ = try? await session.query("ROLLBACK")
                throw error
            }
            applied.append(migration.version)
            logger.info(
                "migration applied",
                metadata: ["schema": "\(schema)", "version": "\(migration.version)", "name": "\(migration.name)", "duration_ms": "\((ContinuousClock.now - started).roundedMilliseconds)"]
            )
        }
        return applied
    }

    private func recorded(_ session: PostgresSession) async throws -> [Int: String] {
        let exists = try await session.query("SELECT to_regclass($1) IS NOT NULL AS present", ["\(schema).schema_migrations"])
        guard try exists.rows[0].decode("present", as: Bool.self) else { return [:] }
        let rows = try await session.query("SELECT version, checksum FROM \(schema).schema_migrations").rows
        var recorded = [Int: String]()
        for row in rows { recorded[try row.decode("version", as: Int.self)] = try row.decode("checksum", as: String.self) }
        return recorded
    }
}
