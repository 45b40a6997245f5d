/// A task's priority; never null (`none` is a priority). Sorting by priority puts `urgent` first.
enum Priority: String, Codable, Sendable, CaseIterable {
    case urgent, high, medium, low, none

    static let listed = allCases.map(\.rawValue)
}
