import FlotillaKit
import Hummingbird
import Logging

/// The watch-store seed's `POST /auth/token` (`{userId, email, roles?}` → `{token, expiresIn}`):
/// a token for anyone who asks, so it is registered only when `AUTH_DEV_TOKENS=true`. The
/// token carries role `manager` unless the body names `roles`, so the seed's quick test
/// (read a product, buy one, read a customer) works as its README shows.
struct DevTokenController: Sendable {
    let issuer: TokenIssuer

    struct Input: Decodable {
        let userId: String
        let email: String
        let roles: [String]?
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
        let userID = input.userId.trimmed
        guard (1...100).contains(userID.count) else { throw APIError.invalidField("userId", "userId must be 1 to 100 characters.") }
        _ = try EmailAddress.validated(input.email)
        var roles = [String]()
        for name in input.roles ?? [Role.manager.rawValue] {
            guard let role = Role(rawValue: name) else { throw APIError.invalidField("roles", "'\(name.prefix(40))' is not a role; use admin, manager, member or guest.") }
            roles.append(role.rawValue)
        }
        let issued = try await issuer.issue(subject: userID, kind: .user, roles: roles)
        context.logger.warning("dev token issued (AUTH_DEV_TOKENS is on; never enable it in production)", metadata: ["subject": "\(userID)"])
        return JSONResponse.make(Output(token: issued.token, expiresIn: TokenResponse(issued).expiresIn))
    }
}
