/// The fixed group a workflow state belongs to. Reports and rules read the group, never the
/// state's name (which each project chooses): `completed` ends a task, `cancelled` drops it.
enum StateGroup: String, Codable, Sendable, CaseIterable {
    case backlog, unstarted, started, completed, cancelled

    /// Whether a task in this group is done with (neither counts as open).
    var isClosed: Bool { self == .completed || self == .cancelled }

    static let listed = allCases.map(\.rawValue)
}
