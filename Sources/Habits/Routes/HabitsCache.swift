import FlotillaKit
import HTTPTypes
import Hummingbird

/// Cache-aside for answers computed from one user's habits (lists, stats, today, summary):
/// each is an entry of the owner's group, and every write drops the whole group.
struct HabitsCache: Sendable {
    let cache: RedisCache

    func value<Value: Codable & Sendable>(
        owner: String, key: String, as type: Value.Type, load: () async throws -> Value?
    ) async throws -> RedisCache.Lookup<Value> {
        try await cache.value(for: key, group: "user:\(owner)", as: type, load: load)
    }

    func invalidate(owner: String) async {
        await cache.invalidate(group: "user:\(owner)")
    }

    /// The looked-up value as JSON with `X-Cache: HIT|MISS`.
    func response<Value: Encodable & Sendable>(_ lookup: RedisCache.Lookup<Value>) -> Response {
        var response = JSONResponse.make(lookup.value)
        response.headers[HTTPField.Name("X-Cache")!] = lookup.cached ? "HIT" : "MISS"
        return response
    }
}
