import FlotillaKit
import HTTPTypes

/// What headers cross the gateway, in each direction.
enum ForwardedHeaders {
    /// Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "trailers", "transfer-encoding", "upgrade",
    ]

    /// Headers the gateway sets itself (or libcurl does) and never copies from the client.
    static let replaced: Set<String> = [
        "host", "content-length", "x-request-id", "traceparent", "tracestate",
        "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "forwarded", "x-real-ip",
    ]

    /// Client-sent identity assertions, which only an authenticating hop may make.
    static func isIdentityHeader(_ lowercasedName: String) -> Bool {
        lowercasedName.hasPrefix("x-user") || lowercasedName.hasPrefix("x-auth") || lowercasedName.hasPrefix("x-principal")
            || lowercasedName.hasPrefix("x-client-") || lowercasedName == "x-roles" || lowercasedName == "x-scopes"
    }

    /// The headers sent to the upstream: the client's, minus hop-by-hop, anything named in
    /// `Connection`, replaced and identity headers; plus `X-Forwarded-*` (`authority` is
    /// the request's `Host`).
    /// `Authorization` passes through, so the upstream verifies the token itself.
    static func upstreamRequestHeaders(
        _ headers: HTTPFields, authority: String?, peerIP: String, peerIsTrusted: Bool
    ) -> [(String, String)] {
        let listed = Set((headers[.connection] ?? "").split(separator: ",").map { $0.trimmingWhitespace().lowercased() })
        var forwarded = [(String, String)]()
        for field in headers {
            let name = field.name.canonicalName
            guard !hopByHop.contains(name), !listed.contains(name), !replaced.contains(name), !isIdentityHeader(name) else { continue }
            forwarded.append((field.name.rawName, field.value))
        }
        let priorChain = peerIsTrusted ? headers[.xForwardedFor].map { $0 + ", " } ?? "" : ""
        forwarded.append(("X-Forwarded-For", priorChain + peerIP))
        let proto = peerIsTrusted ? headers[.xForwardedProto] ?? "http" : "http"
        forwarded.append(("X-Forwarded-Proto", proto))
        if let host = (peerIsTrusted ? headers[.xForwardedHost] : nil) ?? authority {
            forwarded.append(("X-Forwarded-Host", host))
        }
        return forwarded
    }

    /// The upstream's response headers the client gets: all but hop-by-hop and the ones
    /// the gateway's own server writes.
    static func clientResponseHeaders(_ upstreamHeaders: [(String, String)]) -> HTTPFields {
        var listed = Set<String>()
        for (name, value) in upstreamHeaders where name.equalsIgnoringASCIICase("connection") {
            for token in value.split(separator: ",") { listed.insert(token.trimmingWhitespace().lowercased()) }
        }
        var fields = HTTPFields()
        for (name, value) in upstreamHeaders {
            // The field name's canonical form is already lower-cased: no copy per header.
            guard let fieldName = HTTPField.Name(name) else { continue }
            let lowered = fieldName.canonicalName
            guard !hopByHop.contains(lowered), !listed.contains(lowered), lowered != "content-length", lowered != "server", lowered != "date"
            else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }
}
