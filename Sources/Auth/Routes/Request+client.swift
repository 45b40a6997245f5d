import FlotillaKit
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Request {
    /// The client's address and user agent. Behind the gateway the peer is the gateway:
    /// list it in `TRUSTED_PROXIES` so its `X-Forwarded-For` names the real client, or every
    /// login would count against the gateway's address.
    func clientInfo(_ context: FlotillaRequestContext) -> ClientInfo {
        ClientInfo(address: context.clientIP ?? "unknown", userAgent: headers[.userAgent])
    }
}

extension FlotillaRequestContext {
    /// The id of the user the caller's token speaks for (user or API-key tokens; service
    /// accounts have no user and get 403).
    func requireUserID() throws(APIError) -> UUID {
        let principal = try requirePrincipal()
        guard principal.kind != .service, let id = UUID(uuidString: principal.subject) else {
            throw APIError.forbidden("This operation is for user accounts; a service token cannot use it.")
        }
        return id
    }

    /// Like ``requireUserID()``, but only for a person's own login token, not an API key:
    /// credentials and sessions are managed by the person, not by their scripts.
    func requireInteractiveUserID() throws(APIError) -> UUID {
        let id = try requireUserID()
        guard principal?.kind == .user else {
            throw APIError.forbidden("API-key tokens cannot manage credentials or sessions; log in as the user.")
        }
        return id
    }
}

/// Parses a path parameter as a UUID, or answers 404 (an id that cannot exist is not found).
func uuidParameter(_ context: FlotillaRequestContext, _ name: String, resource: String) throws(APIError) -> UUID {
    guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else {
        throw APIError.notFound("No \(resource) with id '\(context.parameters.get(name) ?? "")'.")
    }
    return id
}
