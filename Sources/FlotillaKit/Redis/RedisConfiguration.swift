/// How a service reaches Redis, read from the environment.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `REDIS_URL` | `redis://127.0.0.1:6379/0` | `redis://[user:password@]host:port[/db]`; AUTH and SELECT are sent on connect |
/// | `REDIS_POOL_MAX_CONNECTIONS` | `8` | most connections open at once |
/// | `REDIS_TIMEOUT_SECONDS` | `1` | connect and per-command socket timeout |
/// | `REDIS_ACQUIRE_TIMEOUT_SECONDS` | `1` | wait for a free connection |
public struct RedisConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var username: String?
    /// Never logged.
    public var password: String?
    public var database: Int
    public var maxConnections: Int = 8
    public var minConnections: Int = 0
    public var timeout: Duration = .seconds(1)
    public var acquireTimeout: Duration = .seconds(1)
    public var idleValidationInterval: Duration = .seconds(30)

    /// Parse a `redis://` URL; nil when it is not one.
    public init?(url: String) {
        guard url.hasPrefix("redis://") else { return nil }
        var rest = Substring(url.dropFirst("redis://".count))
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let parts = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            username = parts[0].isEmpty ? nil : String(parts[0]).removingPercentEncodingIfPossible
            password = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]).removingPercentEncodingIfPossible : nil
        }
        let hostPort = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(hostPort.count).dropFirst()
        let hostParts = hostPort.split(separator: ":")
        guard let host = hostParts.first, !host.isEmpty, hostParts.count <= 2 else { return nil }
        self.host = String(host)
        if hostParts.count == 2 {
            guard let port = Int(hostParts[1]), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            self.port = 6379
        }
        if path.isEmpty {
            database = 0
        } else {
            guard let database = Int(path), database >= 0 else { return nil }
            self.database = database
        }
    }

    /// Read the settings, recording invalid ones in `environment`.
    public init(environment: inout EnvironmentReader) {
        let url = environment.string("REDIS_URL", default: "redis://127.0.0.1:6379/0")
        if let parsed = RedisConfiguration(url: url) {
            self = parsed
        } else {
            environment.record("REDIS_URL", nil, "redis://[user:password@]host:port[/db]")
            self = RedisConfiguration(url: "redis://127.0.0.1:6379/0")!
        }
        maxConnections = environment.integer("REDIS_POOL_MAX_CONNECTIONS", default: maxConnections, in: 1...500)
        timeout = environment.seconds("REDIS_TIMEOUT_SECONDS", default: timeout, in: 0.01...60)
        acquireTimeout = environment.seconds("REDIS_ACQUIRE_TIMEOUT_SECONDS", default: acquireTimeout, in: 0.01...60)
    }

    /// `host:port/db`, for logs.
    public var redactedDescription: String { "\(host):\(port)/\(database)" }
}

extension String {
    /// `%40` → `@` and friends, for credentials in URLs.
    fileprivate var removingPercentEncodingIfPossible: String {
        var bytes = [UInt8]()
        var iterator = Array(utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
