/// Why migrations could not be applied.
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An applied migration's file changed since it was applied.
    case checksumMismatch(version: Int, name: String, recorded: String, current: String)
    /// Two migrations share a version number.
    case duplicateVersion(Int)
    /// The schema name is not a plain SQL identifier.
    case invalidSchema(String)

    public var description: String {
        switch self {
        case .checksumMismatch(let version, let name, let recorded, let current):
            "migration \(version)_\(name) was changed after it was applied (checksum \(recorded) in the database, \(current) in the binary); add a new migration instead of editing an applied one"
        case .duplicateVersion(let version):
            "two migrations have version \(version)"
        case .invalidSchema(let schema):
            "schema name '\(schema)' is not a lower-case SQL identifier"
        }
    }
}
