import Foundation
import FlotillaKit

/// The notifications service's settings, from the environment: the kit's shared ones, then
/// its own (README, "Configuration").
struct NotificationsConfiguration: Sendable {
    var base: DataServiceConfiguration
    /// SMTP relay (`NOTIFICATIONS_SMTP_URL`, `_USERNAME`, `_PASSWORD`, `_STARTTLS`); without
    /// it emails are written as `.eml` files to ``mailDirectory``.
    var smtp: SMTPConfiguration?
    /// Where emails go without SMTP (`NOTIFICATIONS_MAIL_DIR`, `/tmp/flotilla-mail`).
    var mailDirectory: String
    /// `From:` of every email (`NOTIFICATIONS_FROM`).
    var fromAddress: String
    /// The product name templates use (`NOTIFICATIONS_APP_NAME`, `Flotilla`).
    var appName: String
    /// A directory of `<kind>.<part>.mustache` files replacing shipped templates (`NOTIFICATIONS_TEMPLATES_DIR`).
    var templatesDirectory: String?
    /// Attempts before an email is `failed` (`NOTIFICATIONS_EMAIL_MAX_ATTEMPTS`, 5).
    var maxEmailAttempts: Int
    /// First retry delay, doubling per attempt (`NOTIFICATIONS_EMAIL_RETRY_SECONDS`, 30).
    var emailRetryDelay: Duration
    /// How often the email queue and the reminders are looked at when idle
    /// (`NOTIFICATIONS_POLL_SECONDS`, 1).
    var pollInterval: Duration

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: NotificationsApp.identity, environment: &environment)
        if let url = environment.raw("NOTIFICATIONS_SMTP_URL"), !url.isEmpty {
            if !(url.hasPrefix("smtp://") || url.hasPrefix("smtps://")) {
                environment.record("NOTIFICATIONS_SMTP_URL", url, "an smtp:// or smtps:// URL")
            }
            smtp = SMTPConfiguration(
                url: url, username: environment.raw("NOTIFICATIONS_SMTP_USERNAME"), password: environment.raw("NOTIFICATIONS_SMTP_PASSWORD"),
                requireTLS: environment.boolean("NOTIFICATIONS_SMTP_STARTTLS", default: false),
                timeout: environment.seconds("NOTIFICATIONS_SMTP_TIMEOUT_SECONDS", default: .seconds(30), in: 0.1...600))
        }
        mailDirectory = environment.string("NOTIFICATIONS_MAIL_DIR", default: "/tmp/flotilla-mail")
        fromAddress = environment.string("NOTIFICATIONS_FROM", default: "Flotilla <no-reply@flotilla.local>")
        if EmailAddressText.envelope(of: fromAddress) == nil {
            environment.record("NOTIFICATIONS_FROM", fromAddress, "an address, e.g. Flotilla <no-reply@example.com>")
        }
        appName = environment.string("NOTIFICATIONS_APP_NAME", default: "Flotilla")
        templatesDirectory = environment.raw("NOTIFICATIONS_TEMPLATES_DIR").flatMap { $0.isEmpty ? nil : $0 }
        maxEmailAttempts = environment.integer("NOTIFICATIONS_EMAIL_MAX_ATTEMPTS", default: 5, in: 1...50)
        emailRetryDelay = environment.seconds("NOTIFICATIONS_EMAIL_RETRY_SECONDS", default: .seconds(30), in: 0.01...86_400)
        pollInterval = environment.seconds("NOTIFICATIONS_POLL_SECONDS", default: .seconds(1), in: 0.01...300)
    }
}

/// Addresses as written in headers (`Name <a@b>` or `a@b`).
enum EmailAddressText {
    /// The bare address SMTP's envelope uses, or nil when there is none.
    static func envelope(of address: String) -> String? {
        var bare = address.trimmingCharacters(in: .whitespaces)
        if let open = bare.lastIndex(of: "<"), let close = bare.lastIndex(of: ">"), open < close {
            bare = String(bare[bare.index(after: open)..<close])
        }
        let parts = bare.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !bare.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else {
            return nil
        }
        return bare
    }
}
