/// What a comment or a file is attached to: an entity of another service, written
/// `kind:id` (`task:WEB-142`, `project:WEB`). The kinds are a fixed table naming the service
/// that owns each and where it answers for one entity (``EntityKind``); the owner decides who
/// may see it.
public struct EntityReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public let kind: EntityKind
    public let id: String

    public init(kind: EntityKind, id: String) {
        self.kind = kind
        self.id = id
    }

    /// Parse `kind:id`; nil unless the kind is known and the id is valid for it.
    public init?(_ text: some StringProtocol) {
        guard let colon = text.firstIndex(of: ":"), let kind = EntityKind(rawValue: String(text[..<colon])) else { return nil }
        let id = String(text[text.index(after: colon)...])
        guard kind.isValid(id) else { return nil }
        self.init(kind: kind, id: id)
    }

    /// `kind:id`.
    public var description: String { "\(kind.rawValue):\(id)" }

    /// The project the entity lives in (a task's key prefix, a project's own key): who
    /// moderates it, and whose members can be mentioned on it.
    public var project: String {
        switch kind {
        case .project: id
        case .task: String(id[..<(id.lastIndex(of: "-") ?? id.endIndex)])
        }
    }

    /// What a person is told when `text` is not a reference.
    public static let expected = "must be an entity reference such as task:WEB-142 or project:WEB (kinds: \(EntityKind.allCases.map(\.rawValue).joined(separator: ", ")))"

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = EntityReference(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text.prefix(80))' \(Self.expected)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The kinds of entity comments and files attach to, each with its owning service and the
/// path of its `GET` (whose 200 for the caller's token means they may see it).
public enum EntityKind: String, Sendable, Codable, CaseIterable {
    case task, project

    /// The service that owns entities of this kind (an ``Upstream`` name).
    public var owner: String {
        switch self {
        case .task: "tasks"
        case .project: "projects"
        }
    }

    /// The owner's path for entity `id`.
    public func path(_ id: String) -> String {
        switch self {
        case .task: "/tasks/\(id)"
        case .project: "/projects/\(id)"
        }
    }

    /// Whether `id` can name an entity of this kind (`WEB-142`, `WEB`).
    public func isValid(_ id: String) -> Bool {
        switch self {
        case .project:
            return ProjectKey.isValid(id)
        case .task:
            guard let dash = id.lastIndex(of: "-"), ProjectKey.isValid(id[..<dash]) else { return false }
            let number = id[id.index(after: dash)...]
            return (1...9).contains(number.count) && number.allSatisfy(\.isASCIIDigit) && number.first != "0"
        }
    }
}
