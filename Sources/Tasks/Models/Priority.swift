/// A task's priority; never null (`none` is a priority). Sorting by priority puts `urgent` first.
enum Priority: String, Codable, Sendable, CaseIterable {
    case urgent, high, medium, low, none

    static let listed = allCases.map(\.rawValue)
}

/// The fixed group of a workflow state (owned by projects; mirrored here for rules and
/// personal tasks, which have groups but no project states).
enum StateGroup: String, Codable, Sendable, CaseIterable {
    case backlog, unstarted, started, completed, cancelled

    /// Neither completed nor cancelled: still in the way of what it blocks.
    var isOpen: Bool { self != .completed && self != .cancelled }

    static let listed = allCases.map(\.rawValue)
}
