import FlotillaKit
import Foundation

/// Reading and forging JWTs by hand, for tests that inspect claims or attack verifiers.
enum TestTokens {
    /// The payload of `token`, unverified.
    static func claims(of token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let data = Base64URL.decode(parts[1]),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw HarnessError("not a JWT: \(token.prefix(20))") }
        return object
    }

    /// The header of `token`, unverified.
    static func header(of token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".")
        guard let data = Base64URL.decode(parts[0]), let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HarnessError("not a JWT")
        }
        return object
    }

    /// `header.payload` of a token, base64url-encoded from JSON objects.
    static func signingInput(header: [String: Any], claims: [String: Any]) throws -> String {
        let encode = { (object: [String: Any]) throws -> String in
            Base64URL.encode(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        }
        return try encode(header) + "." + encode(claims)
    }

    /// `token` with its payload replaced (signature kept): a tampered token.
    static func replacingClaims(of token: String, with claims: [String: Any]) throws -> String {
        let parts = token.split(separator: ".").map(String.init)
        let payload = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        return parts[0] + "." + payload + "." + parts[2]
    }
}
