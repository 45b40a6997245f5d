/// What a notification is about; preferences are set per category. `security` messages can
/// be neither switched off nor held back by quiet hours.
enum NotificationCategory: String, CaseIterable, Codable, Sendable {
    case account, reminders, achievements, mentions, assignments, approvals, orders, security

    /// Whether the user may switch the category's channels off and quiet hours apply.
    var isMandatory: Bool { self == .security }
}

/// Where a notification is delivered.
enum NotificationChannel: String, CaseIterable, Codable, Sendable {
    case inApp = "in_app"
    case email
}
