import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The command line every service binary shares:
///
/// - `<service>` or `<service> serve`: run until SIGTERM;
/// - `<service> healthcheck [--url http://127.0.0.1:PORT/ready] [--timeout SECONDS]`: exit 0
///   when the URL answers 2xx, 1 otherwise (for container `HEALTHCHECK`s);
/// - `<service> migrate`: apply pending migrations to the service's schema and exit;
/// - `<service> seed`: apply migrations, then load the service's demo data (idempotent);
/// - `<service> events status|replay-dead|replay --from X`: the service's event streams;
/// - `<service> --version`, `<service> --help`.
///
/// Invalid configuration exits with status 78 (`EX_CONFIG`) and names every bad variable.
public enum ServiceCommand {
    /// Exit status for invalid configuration.
    public static let configurationErrorStatus: Int32 = 78

    /// Parse the process arguments and run; never returns.
    ///
    /// - Parameters:
    ///   - identity: the binary's name, version and default port.
    ///   - migrations: the service's schema migrations, if it has a database.
    ///   - seed: loads demo data into the migrated schema (must be idempotent); returns a
    ///     one-line summary.
    ///   - events: the event streams the service publishes and consumes.
    ///   - build: reads the service's configuration from the environment and builds its app.
    public static func main(
        identity: ServiceIdentity,
        migrations: [Migration] = [],
        seed: (@Sendable (PostgresPool, Logger) async throws -> String)? = nil,
        events: EventRoles? = nil,
        arguments: [String] = CommandLine.arguments,
        build: @Sendable (inout EnvironmentReader) async throws -> FlotillaApplication
    ) async -> Never {
        let arguments = Array(arguments.dropFirst())
        switch arguments.first {
        case nil, "serve":
            AllocatorTuning.apply()
            exit(await serve(build: build))
        case "migrate":
            exit(await migrate(identity: identity, migrations: migrations, environment: EnvironmentReader()))
        case "seed" where seed != nil:
            exit(await migrate(identity: identity, migrations: migrations, environment: EnvironmentReader(), then: seed))
        case "events" where events != nil:
            exit(await EventsCommand.run(identity: identity, roles: events!, arguments: Array(arguments.dropFirst())))
        case "healthcheck":
            exit(healthcheck(identity: identity, arguments: Array(arguments.dropFirst())))
        case "sleep":
            exit(pause(arguments: Array(arguments.dropFirst())))
        case "--version", "version":
            print("\(identity.name) \(identity.version)")
            exit(0)
        case "--help", "-h", "help":
            print(usage(identity))
            exit(0)
        case let other?:
            printError("unknown command '\(other)'\n\(usage(identity))")
            exit(64)
        }
    }

    static func serve(build: @Sendable (inout EnvironmentReader) async throws -> FlotillaApplication) async -> Int32 {
        var environment = EnvironmentReader()
        do {
            let application = try await build(&environment)
            try await application.runUntilTerminated()
            return 0
        } catch let error as ConfigurationError {
            printError("\(error)")
            return configurationErrorStatus
        } catch {
            printError("fatal: \(error)")
            return 1
        }
    }

    /// `<service> sleep SECONDS`: wait, then exit 0 — a Kubernetes preStop hook for images
    /// that have no shell or `sleep`, so endpoints are gone before SIGTERM arrives.
    static func pause(arguments: [String]) -> Int32 {
        guard let text = arguments.first, let seconds = Double(text), (0...600).contains(seconds) else {
            printError("usage: sleep SECONDS (0 to 600)")
            return 64
        }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
        return 0
    }

    /// `<service> migrate`: exit 0 when the schema is up to date afterwards (and, for
    /// `seed`, the demo data loaded by `then`).
    public static func migrate(
        identity: ServiceIdentity, migrations: [Migration], environment: EnvironmentReader,
        then seed: (@Sendable (PostgresPool, Logger) async throws -> String)? = nil
    ) async -> Int32 {
        var environment = environment
        let service = ServiceConfiguration(identity: identity, environment: &environment)
        var database = PostgresConfiguration(environment: &environment, applicationName: identity.name)
        do {
            try environment.validate()
        } catch {
            printError("\(error)")
            return configurationErrorStatus
        }
        database.minConnections = 0
        database.maxConnections = 1
        database.statementTimeout = nil
        let logger = Logger(configuration: service)
        let pool = PostgresPool(configuration: database, metrics: MetricsRegistry(service: identity.name, version: identity.version), logger: logger)
        do {
            let applied = try await Migrator(schema: database.schema, migrations: migrations).migrate(on: pool, logger: logger)
            logger.info("migrations up to date", metadata: ["schema": "\(database.schema)", "applied_now": "\(applied)"])
            if let seed {
                let summary = try await seed(pool, logger)
                logger.info("demo data loaded", metadata: ["schema": "\(database.schema)", "summary": "\(summary)"])
            }
            await pool.close()
            return 0
        } catch {
            logger.error("migration failed", metadata: ["schema": "\(database.schema)", "error.description": "\(error)"])
            await pool.close()
            return 1
        }
    }

    static func healthcheck(identity: ServiceIdentity, arguments: [String]) -> Int32 {
        let port = EnvironmentReader().raw("PORT") ?? String(identity.defaultPort)
        var url = "http://127.0.0.1:\(port)/ready"
        var timeout = 3
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch (flag, remaining.popFirst()) {
            case ("--url", let value?): url = value
            case ("--timeout", let value?) where Int(value).map({ $0 > 0 }) == true: timeout = Int(value)!
            default:
                printError("healthcheck: unexpected argument '\(flag)'; usage: healthcheck [--url URL] [--timeout SECONDS]")
                return 64
            }
        }
        do {
            try HealthcheckProbe(url: url, timeoutSeconds: timeout).run()
            return 0
        } catch {
            printError("healthcheck: \(error)")
            return 1
        }
    }

    static func usage(_ identity: ServiceIdentity) -> String {
        """
        usage: \(identity.name) [serve]              run the service (configured by environment variables)
               \(identity.name) healthcheck [--url URL] [--timeout SECONDS]
                                      exit 0 if URL (default http://127.0.0.1:$PORT/ready) answers 2xx
               \(identity.name) migrate             apply pending database migrations and exit
               \(identity.name) seed                migrate, then load demo data (services that have some)
               \(identity.name) events status|replay-dead|replay --from ID|TIME
                                      the event streams (services that publish or consume events)
               \(identity.name) sleep SECONDS       wait, then exit 0 (a preStop hook without a shell)
               \(identity.name) --version
        """
    }

    static func printError(_ message: String) {
        var line = message + "\n"
        line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}
