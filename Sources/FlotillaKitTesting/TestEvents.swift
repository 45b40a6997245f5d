import FlotillaKit
import Foundation

/// Events as another service's relay would publish them, for tests of a consumer: the
/// envelope, and the `XADD` to the source's stream in the test's namespace.
public enum TestEvents {
    /// An envelope of `type` from `source` about `aggregate` (its type is the type's first
    /// word: `user.registered` is about a `user`), caused by `actor`, with `data`.
    public static func envelope(
        _ type: String, from source: String, aggregate: String, actor: String? = nil, data: [String: JSONValue]
    ) -> EventEnvelope {
        EventEnvelope(
            id: UUID().uuidString.lowercased(), type: type, occurredAt: RFC3339.now(), source: source,
            aggregate: .init(type: String(type.split(separator: ".")[0]), id: aggregate), actor: actor, data: data)
    }

    /// Add `envelope` to its source's stream, `prefix` + `events:<source>` (a first delivery,
    /// or a redelivery of one already added).
    public static func publish(_ envelope: EventEnvelope, redis: RedisClient, prefix: String) async throws {
        try await RedisStream(client: redis, name: prefix + EventEnvelope.streamName(source: envelope.source))
            .add(["id": envelope.id, "type": envelope.type, "event": envelope.encoded()])
    }
}
