public import HTTPTypes

/// Why a bearer token was not accepted. Every case but ``keysUnavailable`` and
/// ``denylistUnavailable`` is the caller's problem and answers 401.
public enum TokenRejection: Error, Sendable, Equatable {
    case missing
    case malformed
    case unsupportedAlgorithm(String)
    case unknownKey
    case badSignature
    case expired
    case notYetValid
    case wrongIssuer
    case wrongAudience
    case revoked
    /// The signing keys could not be fetched (auth service unreachable).
    case keysUnavailable
    /// The denylist could not be checked (Redis unreachable); fails closed.
    case denylistUnavailable

    /// A short phrase for the `WWW-Authenticate` header and the error message.
    public var reason: String {
        switch self {
        case .missing: "no bearer token was sent"
        case .malformed: "the token is not a well-formed JWT"
        case .unsupportedAlgorithm(let name): "the signing algorithm '\(name)' is not accepted"
        case .unknownKey: "the token was signed with an unknown key"
        case .badSignature: "the token signature is invalid"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet"
        case .wrongIssuer: "the token was issued by someone else"
        case .wrongAudience: "the token is meant for another audience"
        case .revoked: "the token has been revoked"
        case .keysUnavailable: "the signing keys cannot be fetched right now"
        case .denylistUnavailable: "token revocation cannot be checked right now"
        }
    }

    /// The error the middleware answers with.
    public var apiError: APIError {
        switch self {
        case .keysUnavailable, .denylistUnavailable:
            return APIError(
                .serviceUnavailable, code: "auth_unavailable",
                message: "Authentication is temporarily unavailable: \(reason). Retry shortly.",
                headers: [.retryAfter: "1"])
        case .missing:
            return .unauthorized("Authentication required: send an access token as 'Authorization: Bearer <token>'.", challenge: #"Bearer realm="flotilla""#)
        default:
            return .unauthorized(
                "The access token was rejected: \(reason). Log in again or refresh the token.",
                challenge: #"Bearer realm="flotilla", error="invalid_token", error_description="\#(reason)""#)
        }
    }
}

extension APIError {
    /// 401 `unauthorized` with a `WWW-Authenticate` challenge (RFC 6750).
    public static func unauthorized(_ message: String, challenge: String = #"Bearer realm="flotilla""#) -> APIError {
        APIError(.unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: challenge])
    }

    /// 403 `forbidden`.
    public static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message: message)
    }
}
