import ArgumentParser
import Foundation

/// `--database-url` and `--redis-url` of the benches that talk to PostgreSQL and Redis
/// directly, defaulting to the scratch servers `scripts/bench` starts.
struct DatastoreOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (default: $FLOTILLA_TEST_DATABASE_URL or $DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Redis URL (default: $FLOTILLA_TEST_REDIS_URL or $REDIS_URL).")
    var redisURL: String?

    /// Both URLs, from the options or the environment.
    func resolved() throws -> (database: String, redis: String) {
        let environment = ProcessInfo.processInfo.environment
        guard let database = databaseURL ?? environment["FLOTILLA_TEST_DATABASE_URL"] ?? environment["DATABASE_URL"],
            let redis = redisURL ?? environment["FLOTILLA_TEST_REDIS_URL"] ?? environment["REDIS_URL"]
        else { throw ValidationError("set --database-url and --redis-url (or the FLOTILLA_TEST_* variables)") }
        return (database, redis)
    }
}
