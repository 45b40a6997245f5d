import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Whether a caller may see an entity, asked of the service that owns it: a `GET` of the
/// entity over the kit's libcurl upstream with the caller's own token (200 → yes; 403 or 404 →
/// no), so authorization stays where the entity lives. A yes is cached in Redis briefly per
/// user and entity; a no is not (it is cheap to ask again, and access granted a moment later
/// must work). The owner down: a cached yes serves, anything else is 503
/// `upstream_unavailable` — never a guess. Comments and files attach to entities through this.
public struct EntityAccessClient: Sendable {
    let upstreams: [EntityKind: Upstream]
    let cache: RedisCache

    /// Ask each kind's owner through `upstream(owner)`; cache answers in `cache`.
    public init(upstream: (String) -> Upstream, cache: RedisCache) {
        upstreams = Dictionary(uniqueKeysWithValues: EntityKind.allCases.map { ($0, upstream($0.owner)) })
        self.cache = cache
    }

    private enum Outcome: Error {
        case hidden, unavailable(String)
    }

    /// Return if `user` (whose `Authorization` header is `authorization`) may see `entity`;
    /// 404 when they may not (or it does not exist), 503 when its owner cannot say.
    public func requireReadable(_ entity: EntityReference, user: String, authorization: String?) async throws {
        do {
            let lookup = try await cache.value(for: user, group: entity.description, as: Bool.self) {
                try await ask(entity, authorization: authorization)
            }
            guard lookup.value == true else { throw Outcome.hidden }
        } catch Outcome.hidden {
            throw APIError.notFound("No \(entity.kind.rawValue) '\(entity.id)' that you can see.")
        } catch Outcome.unavailable(let reason) {
            throw APIError(
                .serviceUnavailable, code: "upstream_unavailable",
                message: "The \(entity.kind.owner) service cannot confirm your access to \(entity) right now (\(reason)); retry shortly.",
                headers: [.retryAfter: "2"])
        }
    }

    /// Forget every cached answer about `entity` (it was deleted, or its members changed).
    public func invalidate(_ entity: EntityReference) async {
        await cache.invalidate(group: entity.description)
    }

    private func ask(_ entity: EntityReference, authorization: String?) async throws -> Bool? {
        let response: HTTPClientResponse
        do {
            response = try await upstreams[entity.kind]!.execute(
                "GET", entity.kind.path(entity.id), headers: authorization.map { [("Authorization", $0)] } ?? [], timeout: .seconds(3))
        } catch {
            throw Outcome.unavailable((error as? HTTPClientError)?.kind.rawValue ?? "\(error)")
        }
        switch response.status {
        case 200: return true
        case 403, 404, 410: return nil
        default: throw Outcome.unavailable("status \(response.status)")
        }
    }
}
