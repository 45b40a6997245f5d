import FlotillaKit
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /v1/mfa/totp/enroll`, `POST /v1/mfa/totp/verify`, `DELETE /v1/mfa/totp`.
struct MFAController: Sendable {
    let users: UserRepository
    let hasher: PasswordHasher
    let audit: AuditLog
    /// Shown in authenticator apps next to the account.
    let issuerName: String

    struct Enrollment: Encodable {
        let secret: String
        let otpauthURI: String
        enum CodingKeys: String, CodingKey { case secret, otpauthURI = "otpauth_uri" }
    }

    struct CodeInput: Decodable {
        let code: String
    }

    struct PasswordInput: Decodable {
        let password: String
    }

    struct RecoveryCodesView: Encodable {
        let recoveryCodes: [String]
        enum CodingKeys: String, CodingKey { case recoveryCodes = "recovery_codes" }
    }

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("mfa/totp/enroll", use: enroll)
        group.post("mfa/totp/verify", use: verify)
        group.delete("mfa/totp", use: disable)
    }

    @Sendable func enroll(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let user = try await currentUser(context)
        guard !user.totpEnabled else {
            throw APIError(.conflict, code: "mfa_already_enabled", message: "Two-factor authentication is already on; turn it off first to enrol a new device.")
        }
        let totp = TOTP(secret: SecureRandom.bytes(20))
        let secret = Base32.encode(totp.secret)
        try await users.setPendingTOTPSecret(id: user.id, secret: secret)
        audit.record(.mfaEnroll, outcome: "success", subject: user.id.lowercasedString)
        return JSONResponse.make(Enrollment(secret: secret, otpauthURI: totp.provisioningURI(account: user.email, issuer: issuerName)))
    }

    @Sendable func verify(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: CodeInput.self, context: context)
        let user = try await currentUser(context)
        guard !user.totpEnabled else {
            throw APIError(.conflict, code: "mfa_already_enabled", message: "Two-factor authentication is already on.")
        }
        guard let secret = user.totpSecret.flatMap(Base32.decode) else {
            throw APIError(.conflict, code: "mfa_not_enrolled", message: "Start with POST /v1/mfa/totp/enroll, then verify a code from the app.")
        }
        guard let step = TOTP(secret: secret).matchingStep(for: input.code.filter { !$0.isWhitespace }, at: Date()),
            try await users.consumeTOTPStep(id: user.id, step: step, enabling: true)
        else {
            audit.record(.mfaEnable, outcome: "failure", subject: user.id.lowercasedString)
            throw APIError.invalidField("code", "The code does not match; enter the current 6-digit code from your authenticator app.")
        }
        let codes = RecoveryCodes.generate()
        try await users.replaceRecoveryCodes(id: user.id, hashes: codes.map(RecoveryCodes.hash))
        audit.record(.mfaEnable, outcome: "success", subject: user.id.lowercasedString)
        return JSONResponse.make(RecoveryCodesView(recoveryCodes: codes))
    }

    @Sendable func disable(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: PasswordInput.self, context: context)
        let user = try await currentUser(context)
        guard try await hasher.verify(input.password, against: user.passwordHash) else {
            audit.record(.mfaDisable, outcome: "failure", subject: user.id.lowercasedString)
            throw APIError.invalidField("password", "The password is incorrect.")
        }
        try await users.disableTOTP(id: user.id)
        audit.record(.mfaDisable, outcome: "success", subject: user.id.lowercasedString)
        return Response(status: .noContent)
    }

    func currentUser(_ context: FlotillaRequestContext) async throws -> User {
        let id = try context.requireInteractiveUserID()
        return try await users.tokenHolder(id)
    }
}
