import FlotillaKit

/// `GET /users/resolve` behind a Redis cache: each answer is cached under its sorted handle
/// list in one group, and any change that can alter an answer (a profile made, a handle
/// changed, someone deactivated) drops the whole group with one `INCR`. Handles change rarely
/// and mentions are resolved on every comment, so this trades coarse invalidation for hits.
struct HandleDirectory: Sendable {
    let profiles: ProfileRepository
    let cache: RedisCache

    static let group = "handles"

    /// The active profiles among `handles` (sorted, distinct, valid).
    func resolve(_ handles: [String]) async throws -> [ResolvedHandle] {
        try await cache.value(for: handles.joined(separator: ","), group: Self.group, as: [ResolvedHandle].self) {
            try await profiles.resolve(handles: handles)
        }.value ?? []
    }

    /// Drop every cached answer.
    func changed() async {
        await cache.invalidate(group: Self.group)
    }
}
