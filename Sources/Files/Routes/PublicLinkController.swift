import FlotillaKit
import HTTPTypes
import Hummingbird
import Prometheus
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /share/{token}`: a share link's file, for anyone holding the token (no account). A
/// password-protected link wants it in `X-Share-Password` (401 without, 403 wrong); a revoked,
/// expired or used-up link is 410. Each download counts once, atomically, so a limit of N
/// serves exactly N downloads however many arrive together.
struct PublicLinkController: Sendable {
    let shares: ShareRepository
    let files: FileRepository
    let hasher: PasswordHasher
    let responder: ContentResponder
    let metrics: FilesMetrics

    func addRoutes(to router: Router<FlotillaRequestContext>) {
        router.get("/share/{token}", use: download)
    }

    @Sendable func download(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard (20...100).contains(token.count), let (link, passwordHash) = try await shares.link(token: token) else {
            throw APIError.notFound("No share link with that token.")
        }
        if let reason = link.spent(at: Date()) { throw Self.gone(reason) }
        if let passwordHash {
            guard let given = request.headers[.shareLinkPassword] else {
                throw APIError(.unauthorized, code: "password_required", message: "This link is protected; send its password in X-Share-Password.")
            }
            guard try await hasher.verify(given, against: passwordHash) else {
                throw APIError(.forbidden, code: "wrong_password", message: "That is not the link's password.")
            }
        }
        guard let file = try await files.find(link.fileID) else { throw Self.gone("points at a deleted file") }
        // A conditional request that will be answered 304 does not spend a download.
        let content = ContentResponder.Content(sha256: file.sha256, size: file.size, name: file.name, contentType: file.contentType)
        if let match = request.headers[.ifNoneMatch], ContentResponder.matches(match, file.etag) {
            return try await responder.respond(content, to: request, context: context)
        }
        guard try await shares.countDownload(link.id) else { throw Self.gone("reached its download limit") }
        do {
            let response = try await responder.respond(content, to: request, context: context)
            metrics.linkDownloads.increment()
            return response
        } catch {
            // Nothing was sent (a bad range, the store not answering): the download is not spent.
            try? await shares.refundDownload(link.id)
            throw error
        }
    }

    static func gone(_ reason: String) -> APIError {
        APIError(.gone, code: "link_gone", message: "This share link \(reason); ask the person who shared it for a new one.")
    }
}

extension HTTPField.Name {
    /// The password of a protected share link.
    static let shareLinkPassword = HTTPField.Name("X-Share-Password")!
}
