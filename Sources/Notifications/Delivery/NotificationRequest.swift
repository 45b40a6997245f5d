import FlotillaKit

/// One notification to deliver to one user: its kind, the values its templates use, and a
/// key that makes delivering it twice (a redelivered event, a retried call) a no-op.
struct NotificationRequest: Sendable {
    let userID: String
    let kind: NotificationKind
    /// Overrides the kind's category (`direct` notifications name their own).
    var category: NotificationCategory?
    /// Template values: strings and numbers, or arrays of `[String: String]` for sections.
    let values: [String: TemplateValue]
    /// Stored with the in-app item for clients (links, ids).
    var data: [String: JSONValue] = [:]
    let idempotencyKey: String
    /// Whether an email may be sent at all (the caller's choice; preferences still apply).
    var email = true

    var effectiveCategory: NotificationCategory { category ?? kind.category }
}

/// A value a template renders: text, or a list of rows for a `{{#section}}`.
enum TemplateValue: Sendable, Equatable {
    case text(String)
    case rows([[String: String]])

    var rendered: Any {
        switch self {
        case .text(let text): text
        case .rows(let rows): rows
        }
    }
}
