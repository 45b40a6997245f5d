/// What a person may do with a file, and who may: anyone who can read its entity reads it and
/// adds files there; its uploader and the project's admins (moderators) do everything else; a
/// share grants the named permissions to someone else (any share lets them read).
enum FilePermission: String, Codable, Sendable, CaseIterable, Comparable {
    case read, update, delete, share

    static let listed = allCases.map(\.rawValue).joined(separator: ", ")

    static func < (lhs: FilePermission, rhs: FilePermission) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Who the caller is to a file.
    struct Standing: Sendable, Equatable {
        var readsEntity = false
        var isUploader = false
        var moderates = false
        var shared: Set<FilePermission> = []
    }

    /// Whether `standing` allows this permission.
    func isGranted(to standing: Standing) -> Bool {
        if standing.moderates && (standing.readsEntity || !standing.shared.isEmpty) { return true }
        if standing.isUploader && standing.readsEntity { return true }
        if standing.shared.contains(self) { return true }
        return self == .read && (standing.readsEntity || !standing.shared.isEmpty)
    }

    /// Whether `standing` may know the file exists at all (else 404).
    static func canSee(_ standing: Standing) -> Bool {
        standing.readsEntity || !standing.shared.isEmpty
    }
}
