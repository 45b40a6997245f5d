import FlotillaKit
import Hummingbird
import Logging

/// The watch-store seed's `POST /auth/token` (`{userId, email}` → `{token, expiresIn}`):
/// a token for anyone who asks, so it is registered only when `AUTH_DEV_TOKENS=true`.
struct DevTokenController: Sendable {
    let issuer: TokenIssuer

    struct Input: Decodable {
        let userId: String
        let email: String
    }

    struct Output: Encodable {
        let token: String
        let expiresIn: Int
    }

    func addRoutes(to router: Router<FlotillaRequestContext>) {
        router.post("/auth/token", use: token)
    }

    @Sendable func token(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: Input.self, context: context)
        let userID = String(input.userId.trimmingWhitespace())
        guard (1...100).contains(userID.count) else { throw APIError.invalidField("userId", "userId must be 1 to 100 characters.") }
        _ = try EmailAddress.validated(input.email)
        let issued = try await issuer.issue(subject: userID, kind: .user, roles: [Role.member.rawValue])
        context.logger.warning("dev token issued (AUTH_DEV_TOKENS is on; never enable it in production)", metadata: ["subject": "\(userID)"])
        return JSONResponse.make(Output(token: issued.token, expiresIn: TokenResponse(issued).expiresIn))
    }
}
