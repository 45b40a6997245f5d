public import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Asks the projects service what a caller may do in a project, over the kit's libcurl
/// upstream with the caller's own token, and caches the answer in Redis per project and user
/// (dropped on `project.member_*` and `project.workflow_changed` events, so a removed member
/// loses access at once). When projects is down, cached answers still serve; an uncached one
/// is 503 `upstream_unavailable` — never a guess. Used by every service whose resources
/// live in projects (tasks, time).
public struct ProjectAccessClient: Sendable {
    let upstream: Upstream
    let cache: RedisCache

    /// Ask through `upstream` (the projects service), caching answers in `cache`.
    public init(upstream: Upstream, cache: RedisCache) {
        self.upstream = upstream
        self.cache = cache
    }

    /// Why no answer came (turned into a 404 or a 503 by ``document(project:user:authorization:)``).
    private enum Outcome: Error {
        case notFound, unavailable(String)
    }

    /// The access document of `user` in project `key`: 404 when there is no such project for
    /// them, 503 when projects cannot answer and nothing is cached.
    public func document(project key: String, user: String, authorization: String?) async throws -> ProjectAccessDocument {
        do {
            let lookup = try await cache.value(for: user, group: key, as: ProjectAccessDocument.self) {
                try await fetch(key, authorization: authorization)
            }
            guard let document = lookup.value else { throw Outcome.notFound }
            return document
        } catch Outcome.notFound {
            throw APIError.notFound("No project '\(key.prefix(20))'.")
        } catch Outcome.unavailable(let reason) {
            throw APIError(
                .serviceUnavailable, code: "upstream_unavailable",
                message: "The projects service cannot confirm your access to \(key.prefix(20)) right now (\(reason)); retry shortly.",
                headers: [.retryAfter: "2"])
        }
    }

    /// Whether `user` administers project `key` (admin or owner there): who moderates what
    /// other people attached to it (comments, files). No project for them is no.
    public func administers(project key: String, user: String, authorization: String?) async throws -> Bool {
        do {
            return try await document(project: key, user: user, authorization: authorization).role >= .admin
        } catch let error as APIError where error.status == .notFound {
            return false
        }
    }

    /// Drop every cached answer about project `key`.
    public func invalidate(project key: String) async {
        await cache.invalidate(group: key)
    }

    private func fetch(_ key: String, authorization: String?) async throws -> ProjectAccessDocument {
        let response: HTTPClientResponse
        do {
            response = try await upstream.execute(
                "GET", "/projects/\(key)/access", headers: authorization.map { [("Authorization", $0)] } ?? [], timeout: .seconds(3))
        } catch {
            throw Outcome.unavailable((error as? HTTPClientError)?.kind.rawValue ?? "\(error)")
        }
        switch response.status {
        case 200:
            guard let document = try? JSONDecoder().decode(ProjectAccessDocument.self, from: Data(response.body)) else {
                throw Outcome.unavailable("an answer it could not read")
            }
            return document
        case 404, 403: throw Outcome.notFound
        default: throw Outcome.unavailable("status \(response.status)")
        }
    }
}
