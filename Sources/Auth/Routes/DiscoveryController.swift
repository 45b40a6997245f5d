import FlotillaKit
import Hummingbird
import NIOCore

/// `GET /.well-known/jwks.json`, `GET /.well-known/openid-configuration` and
/// `GET /openapi.json`.
struct DiscoveryController: Sendable {
    let ring: SigningKeyRing
    let issuer: String
    /// Base URL clients reach this service at, for the endpoint URLs in the discovery document.
    let publicURL: String

    struct Configuration: Encodable {
        let issuer: String
        let jwksURI: String
        let tokenEndpoint: String
        let grantTypesSupported: [String]
        let tokenEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post"]
        let idTokenSigningAlgValuesSupported: [String]
        let responseTypesSupported = ["token"]
        let subjectTypesSupported = ["public"]
        let claimsSupported = ["iss", "aud", "sub", "exp", "iat", "nbf", "jti", "roles", "scope", "sid", "kind"]

        enum CodingKeys: String, CodingKey {
            case issuer, jwksURI = "jwks_uri", tokenEndpoint = "token_endpoint", grantTypesSupported = "grant_types_supported"
            case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
            case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
            case responseTypesSupported = "response_types_supported", subjectTypesSupported = "subject_types_supported"
            case claimsSupported = "claims_supported"
        }
    }

    func addRoutes(to router: Router<FlotillaRequestContext>) {
        router.get("/.well-known/jwks.json") { _, _ in
            var response = JSONResponse.make(ring.jwks, contentType: "application/jwk-set+json")
            response.headers[.cacheControl] = "public, max-age=300"
            return response
        }
        router.get("/.well-known/openid-configuration") { _, _ in
            JSONResponse.make(
                Configuration(
                    issuer: issuer, jwksURI: publicURL + "/.well-known/jwks.json", tokenEndpoint: publicURL + "/oauth/token",
                    grantTypesSupported: ["client_credentials", "refresh_token", OAuthController.apiKeyGrant],
                    idTokenSigningAlgValuesSupported: Array(Set(ring.keys.map(\.algorithm.jwsName))).sorted()))
        }
        router.addOpenAPIDocument(EmbeddedOpenAPI.json)
    }
}
