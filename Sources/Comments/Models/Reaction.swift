/// The reactions a comment can have: GitHub's fixed set, so every client can draw them.
enum Reaction: String, Codable, Sendable, CaseIterable {
    case plusOne = "+1"
    case minusOne = "-1"
    case laugh, confused, heart, hooray, rocket, eyes

    static let listed = allCases.map(\.rawValue).joined(separator: ", ")
}
