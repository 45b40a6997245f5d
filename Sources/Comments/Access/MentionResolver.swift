import FlotillaKit
import Hummingbird

/// Who a comment mentions: its `@handles` (``MarkdownText/mentions(in:)``), resolved by users
/// in one call, kept only for members of the entity's project (so nobody is told about
/// something they cannot open).
struct MentionResolver: Sendable {
    let handles: HandleResolver
    let access: CommentAccess

    /// The user ids mentioned in `body` on `entity` by the caller, in order of mention (the
    /// caller naming themself is no mention).
    func resolve(_ body: String, on entity: EntityReference, _ request: Request, _ principal: Principal) async throws -> [String] {
        let named = MarkdownText.mentions(in: body)
        guard !named.isEmpty else { return [] }
        let ids = try await handles.userIDs(named, request).filter { $0 != principal.subject }
        return try await access.members(of: entity, among: ids, request, principal)
    }
}
