/// The fixed group a project's workflow state belongs to. Reports and rules read the group,
/// never the state's name (which each project chooses): `completed` ends a task, `cancelled`
/// drops it, and neither is open.
public enum StateGroup: String, Codable, Sendable, CaseIterable {
    case backlog, unstarted, started, completed, cancelled

    /// Neither completed nor cancelled: still in the way of what it blocks.
    public var isOpen: Bool { self != .completed && self != .cancelled }

    public static let listed = allCases.map(\.rawValue)
}
