/// A Redis Stream used as an event log with consumer groups (XADD, XREADGROUP, XACK,
/// XAUTOCLAIM): each group sees every entry once, each entry goes to one consumer of the
/// group, and entries not acknowledged in time can be claimed by another consumer.
public struct RedisStream: Sendable {
    /// One stream entry.
    public struct Entry: Sendable, Equatable {
        public let id: String
        public let fields: [String: String]
    }

    let client: RedisClient
    public let name: String

    public init(client: RedisClient, name: String) {
        self.client = client
        self.name = name
    }

    /// Append an entry; returns its ID. With `maxLength`, the stream is trimmed to about
    /// that many entries.
    @discardableResult
    public func add(_ fields: [String: String], maxLength: Int? = nil) async throws -> String {
        var command: [any RedisArgument] = ["XADD", name]
        if let maxLength { command += ["MAXLEN", "~", maxLength] }
        command.append("*")
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) { command += [key, value] }
        guard let id = try await client.send(command).string else { throw RedisError(.unexpectedReply, "XADD returned no id") }
        return id
    }

    /// Up to `count` entries from `start` (an entry id, or `-` for the first) in order.
    public func range(from start: String = "-", count: Int = 1000) async throws -> [Entry] {
        try Self.entries(try await client.send("XRANGE", name, start, "+", "COUNT", count))
    }

    /// How many entries the stream holds.
    public func length() async throws -> Int {
        try await client.send("XLEN", name).int ?? 0
    }

    /// Create consumer group `group` (and the stream) if it does not exist; new groups start
    /// at the stream's beginning.
    public func createGroup(_ group: String) async throws {
        do {
            try await client.send("XGROUP", "CREATE", name, group, "0", "MKSTREAM")
        } catch let error as RedisError where error.code == "BUSYGROUP" {
            return
        }
    }

    /// Up to `count` entries never delivered to `group`, now assigned to `consumer`.
    public func read(group: String, consumer: String, count: Int) async throws -> [Entry] {
        let reply = try await client.send("XREADGROUP", "GROUP", group, consumer, "COUNT", count, "STREAMS", name, ">")
        guard let streams = reply.array, let stream = streams.first?.array, stream.count == 2 else { return [] }
        return try Self.entries(stream[1])
    }

    /// Mark entries processed by `group`; returns how many were pending.
    @discardableResult
    public func acknowledge(group: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await client.send(["XACK", name, group] + ids).int ?? 0
    }

    /// Take over up to `count` entries another consumer of `group` received but did not
    /// acknowledge within `minIdle` (it crashed, say).
    public func claimStale(group: String, consumer: String, minIdle: Duration, count: Int) async throws -> [Entry] {
        let reply = try await client.send("XAUTOCLAIM", name, group, consumer, Int(minIdle.roundedMilliseconds), "0-0", "COUNT", count)
        guard let parts = reply.array, parts.count >= 2 else { throw RedisError(.unexpectedReply, "XAUTOCLAIM returned \(reply)") }
        return try Self.entries(parts[1])
    }

    static func entries(_ reply: RedisValue) throws -> [Entry] {
        guard let items = reply.array else { return [] }
        return try items.compactMap { item in
            guard let pair = item.array, pair.count == 2, let id = pair[0].string else {
                throw RedisError(.unexpectedReply, "malformed stream entry \(item)")
            }
            // Entries deleted while pending come back with nil fields.
            guard let flat = pair[1].array else { return nil }
            var fields = [String: String]()
            for index in stride(from: 0, to: flat.count - 1, by: 2) {
                if let key = flat[index].string { fields[key] = flat[index + 1].string }
            }
            return Entry(id: id, fields: fields)
        }
    }
}
