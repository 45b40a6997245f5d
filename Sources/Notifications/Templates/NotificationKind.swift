/// A kind of notification: its category and the variables its templates may use (a
/// template naming anything else is refused when the templates load).
struct NotificationKind: Sendable, Hashable {
    let name: String
    let category: NotificationCategory
    let variables: Set<String>

    /// Every template may use these.
    static let common: Set<String> = ["name", "app_name"]

    static let welcome = NotificationKind(name: "welcome", category: .account, variables: common)
    static let achievement = NotificationKind(name: "achievement", category: .achievements, variables: common.union(["habit_name", "streak", "unit"]))
    static let orderConfirmation = NotificationKind(
        name: "order_confirmation", category: .orders,
        variables: common.union(["order_id", "total", "items", "product_id", "quantity", "unit_price", "line_total"]))
    static let accountLocked = NotificationKind(name: "account_locked", category: .security, variables: common.union(["locked_minutes", "client_ip"]))
    static let reminder = NotificationKind(name: "reminder", category: .reminders, variables: common.union(["title", "local_time"]))
    /// A task was assigned to the user (tasks' `task.assigned`).
    static let taskAssigned = NotificationKind(
        name: "task_assigned", category: .assignments, variables: common.union(["task_key", "task_title", "actor", "due_on"]))
    /// A task the user created was completed by someone else (tasks' `task.completed`).
    static let taskCompleted = NotificationKind(
        name: "task_completed", category: .assignments, variables: common.union(["task_key", "task_title", "actor"]))
    /// Someone deactivated left a project the user administers (projects' `project.member_removed`).
    static let memberDeactivated = NotificationKind(
        name: "member_deactivated", category: .assignments, variables: common.union(["person", "project_key"]))
    /// A week waits for the user's approval (time's `timesheet.submitted`).
    static let timesheetSubmitted = NotificationKind(
        name: "timesheet_submitted", category: .approvals, variables: common.union(["submitter", "week", "hours"]))
    /// The user's week was approved or rejected (time's `timesheet.approved|rejected`).
    static let timesheetDecided = NotificationKind(
        name: "timesheet_decided", category: .approvals, variables: common.union(["week", "decision", "actor", "comment"]))
    /// Someone mentioned the user in a comment (comments' `comment.mentioned`).
    static let mentioned = NotificationKind(name: "mentioned", category: .mentions, variables: common.union(["actor", "entity", "excerpt"]))
    /// Several emails of one category, collected over the user's digest window.
    static let digest = NotificationKind(
        name: "digest", category: .account, variables: common.union(["category", "count", "items", "subject", "summary"]))
    /// Sent by another service through `POST /notifications`: its own title and body.
    static let direct = NotificationKind(name: "direct", category: .account, variables: common.union(["title", "body"]))

    static let all: [NotificationKind] = [.welcome, .achievement, .orderConfirmation, .accountLocked, .reminder, .taskAssigned, .taskCompleted, .memberDeactivated, .timesheetSubmitted, .timesheetDecided, .mentioned, .digest, .direct]
}

/// The parts of a notification each kind has a template for.
enum TemplatePart: String, CaseIterable, Sendable {
    case inAppTitle = "inapp.title"
    case inAppBody = "inapp.body"
    case emailSubject = "email.subject"
    case emailText = "email.text"
    case emailHTML = "email.html"

    /// Whether the rendered text is HTML (`{{x}}` escapes); the others are plain text, whose
    /// templates use `{{{x}}}` (clients escape in-app text when they display it).
    var isHTML: Bool { self == .emailHTML }
}
