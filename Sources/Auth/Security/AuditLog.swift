import FlotillaKit
import Logging
import Prometheus

/// Security events: each is one `audit` log line (never with a secret in it) and one
/// increment of `auth_security_events_total{event, outcome}`.
struct AuditLog: Sendable {
    enum Event: String, Sendable {
        case register
        case accountDelete = "account_delete"
        case login
        case lockout
        case refresh
        case refreshReuse = "refresh_reuse"
        case logout
        case sessionRevoked = "session_revoked"
        case passwordChange = "password_change"
        case passwordReset = "password_reset"
        case mfaEnroll = "mfa_enroll"
        case mfaEnable = "mfa_enable"
        case mfaDisable = "mfa_disable"
        case mfaLogin = "mfa_login"
        case recoveryCodeUsed = "recovery_code_used"
        case roleChange = "role_change"
        case apiKeyCreate = "api_key_create"
        case apiKeyRevoke = "api_key_revoke"
        case clientCredentials = "client_credentials"
        case clientCreate = "client_create"
    }

    let logger: Logger
    let registry: PrometheusCollectorRegistry

    init(logger: Logger, metrics: MetricsRegistry) {
        var logger = logger
        logger[metadataKey: "audit"] = "true"
        self.logger = logger
        self.registry = metrics.prometheus
    }

    /// Record `event`; `outcome` is `success`, `failure` or a reason code.
    func record(_ event: Event, outcome: String, subject: String? = nil, _ metadata: Logger.Metadata = [:]) {
        var metadata = metadata
        metadata["event"] = "\(event.rawValue)"
        metadata["outcome"] = "\(outcome)"
        if let subject { metadata["subject"] = "\(subject)" }
        let level: Logger.Level = outcome == "success" ? .info : .warning
        logger.log(level: level, "security event", metadata: metadata)
        registry.makeCounter(
            descriptor: .named("auth_security_events_total", help: "Security events of the auth service, by event and outcome."),
            labels: [("event", event.rawValue), ("outcome", outcome)]
        ).increment()
    }
}
