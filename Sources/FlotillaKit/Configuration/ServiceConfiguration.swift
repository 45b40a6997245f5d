import Logging

/// The settings every Flotilla service shares, read from the environment.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `HOST` | `0.0.0.0` | address to bind |
/// | `PORT` | the service's local port | port to bind (0 picks a free one) |
/// | `LOG_LEVEL` | `info` | trace, debug, info, notice, warning, error, critical |
/// | `LOG_FORMAT` | `json` | `json` lines, or `pretty` for humans |
/// | `SHUTDOWN_DRAIN_SECONDS` | `5` | time `/ready` reports 503 before the listener closes |
/// | `SHUTDOWN_TIMEOUT_SECONDS` | `20` | time in-flight requests get to finish after that |
/// | `MAX_BODY_BYTES` | `1048576` | largest request body accepted |
/// | `RELEASE_ID` | the version | release identifier reported by `/health` |
public struct ServiceConfiguration: Sendable {
    /// Name, version and default port of the binary.
    public var identity: ServiceIdentity
    /// Address to bind.
    public var host: String
    /// Port to bind.
    public var port: Int
    /// Minimum level written to the log.
    public var logLevel: Logger.Level
    /// Log line format.
    public var logFormat: LogFormat
    /// Where log lines go; tests replace it with a capture.
    public var logOutput: LogOutput
    /// How long `/ready` reports draining before the listener closes.
    public var drainDelay: Duration
    /// How long in-flight requests may take to finish once the listener has closed.
    public var shutdownTimeout: Duration
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// Release identifier reported by `/health`.
    public var releaseID: String
    /// Peers whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`).
    public var trustedProxies: TrustedProxies

    /// Defaults for `identity`, as used by `flotilla up` and tests.
    public init(identity: ServiceIdentity) {
        self.identity = identity
        self.host = "0.0.0.0"
        self.port = identity.defaultPort
        self.logLevel = .info
        self.logFormat = .json
        self.logOutput = .standardOutput
        self.drainDelay = .seconds(5)
        self.shutdownTimeout = .seconds(20)
        self.maxBodyBytes = 1 << 20
        self.releaseID = identity.version
        self.trustedProxies = .none
    }

    /// Read the settings from `environment`, recording any invalid variable in it.
    ///
    /// Call ``EnvironmentReader/validate()`` after reading service-specific settings too.
    public init(identity: ServiceIdentity, environment: inout EnvironmentReader) {
        self.init(identity: identity)
        host = environment.string("HOST", default: host)
        port = environment.integer("PORT", default: port, in: 0...65535)
        logLevel = environment.choice("LOG_LEVEL", default: logLevel)
        logFormat = environment.choice("LOG_FORMAT", default: logFormat)
        drainDelay = environment.seconds("SHUTDOWN_DRAIN_SECONDS", default: drainDelay, in: 0...300)
        shutdownTimeout = environment.seconds("SHUTDOWN_TIMEOUT_SECONDS", default: shutdownTimeout, in: 0...600)
        maxBodyBytes = environment.integer("MAX_BODY_BYTES", default: maxBodyBytes, in: 1024...(1 << 30))
        releaseID = environment.string("RELEASE_ID", default: releaseID)
        trustedProxies = TrustedProxies(environment: &environment)
    }
}
