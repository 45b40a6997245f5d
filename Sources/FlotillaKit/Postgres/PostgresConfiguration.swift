import CLibPQ

/// How a service reaches PostgreSQL, read from the environment.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `DATABASE_URL` | `postgres://flotilla@127.0.0.1:5432/flotilla` | libpq URL; `sslmode`, `application_name`, ... honoured |
/// | `DB_POOL_MIN_CONNECTIONS` | `1` | connections kept open |
/// | `DB_POOL_MAX_CONNECTIONS` | `10` | most connections open at once |
/// | `DB_POOL_ACQUIRE_TIMEOUT_SECONDS` | `5` | wait for a free connection before 503 `database_unavailable` |
/// | `DB_STATEMENT_TIMEOUT_SECONDS` | `10` | server-side statement timeout (0 disables) |
/// | `DB_IDLE_VALIDATION_SECONDS` | `30` | a connection idle longer is checked before reuse |
/// | `DB_STATEMENT_CACHE_SIZE` | `128` | statements prepared per connection (0: none; for a pooler in transaction mode) |
/// | `DB_SCHEMA` | the service name | the schema the service owns (first on `search_path`) |
/// | `MIGRATE_ON_START` | `true` | apply pending migrations before serving (off in clusters, where a Job runs `<service> migrate`) |
public struct PostgresConfiguration: Sendable {
    /// The libpq connection URL (contains the password: never log it; see ``redactedURL``).
    public var url: String
    /// Reported as `application_name` unless the URL sets one.
    public var applicationName: String
    public var minConnections: Int
    public var maxConnections: Int
    public var acquireTimeout: Duration
    public var statementTimeout: Duration?
    public var idleValidationInterval: Duration
    /// Statements each connection keeps prepared (least recently used evicted); 0 prepares none.
    public var statementCacheSize: Int = 128
    /// The schema the service owns; unqualified names resolve there first.
    public var schema: String
    /// Apply pending migrations before the server starts.
    public var migrateOnStart: Bool = true
    /// Longest time a connection attempt may take.
    public var connectTimeoutSeconds: Int = 5
    /// Backoff between failed connection attempts: doubles from the first to the cap.
    public var reconnectBackoff: (first: Duration, cap: Duration) = (.milliseconds(100), .seconds(5))

    public init(url: String, applicationName: String) {
        self.url = url
        self.applicationName = applicationName
        self.minConnections = 1
        self.maxConnections = 10
        self.acquireTimeout = .seconds(5)
        self.statementTimeout = .seconds(10)
        self.idleValidationInterval = .seconds(30)
        self.schema = "public"
    }

    /// Read the settings, recording invalid ones in `environment`.
    public init(environment: inout EnvironmentReader, applicationName: String) {
        self.init(url: environment.string("DATABASE_URL", default: "postgres://flotilla@127.0.0.1:5432/flotilla"), applicationName: applicationName)
        if let problem = Self.validate(url: url) {
            environment.record("DATABASE_URL", nil, "a postgres:// URL libpq accepts (\(problem))")
        }
        minConnections = environment.integer("DB_POOL_MIN_CONNECTIONS", default: minConnections, in: 0...100)
        maxConnections = environment.integer("DB_POOL_MAX_CONNECTIONS", default: maxConnections, in: 1...500)
        if minConnections > maxConnections {
            environment.record("DB_POOL_MIN_CONNECTIONS", String(minConnections), "at most DB_POOL_MAX_CONNECTIONS (\(maxConnections))")
        }
        acquireTimeout = environment.seconds("DB_POOL_ACQUIRE_TIMEOUT_SECONDS", default: acquireTimeout, in: 0.01...120)
        let statement = environment.seconds("DB_STATEMENT_TIMEOUT_SECONDS", default: .seconds(10), in: 0...3600)
        statementTimeout = statement == .zero ? nil : statement
        idleValidationInterval = environment.seconds("DB_IDLE_VALIDATION_SECONDS", default: idleValidationInterval, in: 0...3600)
        statementCacheSize = environment.integer("DB_STATEMENT_CACHE_SIZE", default: statementCacheSize, in: 0...10_000)
        migrateOnStart = environment.boolean("MIGRATE_ON_START", default: migrateOnStart)
        schema = environment.string("DB_SCHEMA", default: Self.schemaName(for: applicationName))
        if !Self.isValidIdentifier(schema) {
            environment.record("DB_SCHEMA", schema, "a lower-case SQL identifier (letters, digits, _; at most 63 characters)")
        }
    }

    /// The schema name derived from a service name (`flotilla-kit-demo` → `flotilla_kit_demo`).
    public static func schemaName(for service: String) -> String {
        String(service.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Whether `name` can be used unquoted in SQL: `[a-z_][a-z0-9_]*`, at most 63 bytes.
    public static func isValidIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        let lower = UInt8(ascii: "a")...UInt8(ascii: "z")
        let digit = UInt8(ascii: "0")...UInt8(ascii: "9")
        let underscore = UInt8(ascii: "_")
        return (lower.contains(first) || first == underscore)
            && name.utf8.allSatisfy { lower.contains($0) || digit.contains($0) || $0 == underscore }
    }

    /// `search_path` for the service's sessions.
    var searchPath: String {
        schema == "public" ? "public" : "\(schema), public"
    }

    /// libpq's complaint about `url`, or nil when it parses.
    public static func validate(url: String) -> String? {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else { return "must start with postgres://" }
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            defer { if let error { PQfreemem(error) } }
            return error.map { String(cString: $0).trimmingWhitespace().description } ?? "unparseable"
        }
        PQconninfoFree(options)
        return nil
    }

    /// The URL without its password, for logs.
    public var redactedURL: String {
        guard let schemeEnd = url.firstRange(of: "://"), let at = url[schemeEnd.upperBound...].firstIndex(of: "@") else { return url }
        let credentials = url[schemeEnd.upperBound..<at]
        let user = credentials.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return String(url[..<schemeEnd.upperBound]) + user + String(url[at...])
    }

    /// Connection keywords for `PQconnectdbParams`, defaults first so the URL overrides them.
    var connectionKeywords: [(String, String)] {
        [
            ("client_encoding", "UTF8"),
            ("fallback_application_name", applicationName),
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("dbname", url),
        ]
    }
}
