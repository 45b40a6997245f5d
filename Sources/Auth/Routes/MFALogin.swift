import FlotillaKit
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /v1/login/mfa`: completes a password login with a TOTP code or a recovery code.
struct MFALogin: Sendable {
    let controller: LoginController

    struct Input: Decodable {
        let mfaToken: String
        let code: String?
        let recoveryCode: String?

        enum CodingKeys: String, CodingKey {
            case mfaToken = "mfa_token", code, recoveryCode = "recovery_code"
        }
    }

    static let invalidChallenge = APIError(
        .unauthorized, code: "invalid_mfa_token", message: "The MFA token is unknown or expired; log in with your password again.")

    @Sendable func complete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: Input.self, context: context)
        guard (input.code == nil) != (input.recoveryCode == nil) else {
            throw APIError.invalidField("code", "Send either 'code' (from the authenticator app) or 'recovery_code'.")
        }
        let challenges = controller.challenges
        guard let userID = try await challenges.user(for: input.mfaToken),
            let user = try await controller.users.find(id: userID), user.totpEnabled, let secret = user.totpSecret.flatMap(Base32.decode)
        else { throw Self.invalidChallenge }

        let accepted: Bool
        if let code = input.code {
            if let step = TOTP(secret: secret).matchingStep(for: code.filter { !$0.isWhitespace }, at: Date()) {
                accepted = try await controller.users.consumeTOTPStep(id: user.id, step: step)
            } else {
                accepted = false
            }
        } else {
            accepted = try await controller.users.consumeRecoveryCode(id: user.id, hash: RecoveryCodes.hash(input.recoveryCode ?? ""))
            if accepted { controller.audit.record(.recoveryCodeUsed, outcome: "success", subject: userID.lowercasedString) }
        }
        guard accepted else {
            try await challenges.recordFailure(input.mfaToken)
            controller.audit.record(.mfaLogin, outcome: "failure", subject: userID.lowercasedString)
            throw APIError(.unauthorized, code: "invalid_mfa_code", message: "The code is wrong, expired or already used. Enter the current code from your authenticator app.")
        }
        try await challenges.finish(input.mfaToken)
        return JSONResponse.make(try await controller.starter.start(for: user, client: request.clientInfo(context), event: .mfaLogin))
    }
}
