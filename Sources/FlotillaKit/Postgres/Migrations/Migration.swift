/// One versioned SQL file of a service's schema, e.g. `0001_create_products.sql`.
public struct Migration: Sendable, Equatable {
    /// Ordering number from the file name (`0001` → 1).
    public let version: Int
    /// The rest of the file name (`create_products`).
    public let name: String
    /// The SQL, run as one script inside a transaction.
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Parse `NNNN_name.sql` and its contents; nil for a file name not in that form.
    public init?(fileName: String, sql: String) {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else { return nil }
        self.init(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
    }

    /// Fingerprint of the SQL (FNV-1a 64-bit, hex) recorded when applied, so an edited
    /// file that was already applied is detected. Not a security measure.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
