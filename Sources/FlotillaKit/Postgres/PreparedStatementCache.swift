/// One connection's prepared statements, keyed by SQL text and parameter types, at most
/// `capacity` of them: the least recently used is evicted (and deallocated by the
/// connection) to make room. Not thread-safe: a connection has one borrower at a time.
struct PreparedStatementCache {
    /// What a statement was prepared for: its text and the types its parameters were given.
    struct Key: Hashable {
        let sql: String
        let parameterTypes: [UInt32]
    }

    private struct Entry {
        let name: String
        var lastUse: UInt64
    }

    /// The most statements kept (0: none are prepared).
    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private var nextNumber = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// How many statements are prepared now.
    var count: Int { entries.count }

    /// The prepared statement's name for `key`, marking it used; nil if not prepared.
    mutating func name(for key: Key) -> String? {
        guard entries[key] != nil else { return nil }
        clock += 1
        entries[key]!.lastUse = clock
        return entries[key]!.name
    }

    /// A fresh name for `key` (to prepare it under), and the name of the statement evicted to
    /// make room, which the caller deallocates.
    mutating func insert(_ key: Key) -> (name: String, evicted: String?) {
        var evicted: String?
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            evicted = oldest.value.name
            entries[oldest.key] = nil
        }
        nextNumber += 1
        clock += 1
        let name = "flotilla_\(nextNumber)"
        entries[key] = Entry(name: name, lastUse: clock)
        return (name, evicted)
    }

    /// Forget `key` (its plan went stale, or preparing it failed); its name, if it was kept.
    @discardableResult
    mutating func remove(_ key: Key) -> String? {
        entries.removeValue(forKey: key)?.name
    }

    /// Whether `sql` is worth preparing: plannable statements (queries and DML), not
    /// transaction control, `SET` or DDL, which have no plan to keep.
    static func isPreparable(_ sql: String) -> Bool {
        preparableKeywords.contains(sql.drop(while: \.isWhitespace).prefix(while: \.isLetter).uppercased())
    }

    private static let preparableKeywords: Set<String> = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES", "MERGE"]
}
