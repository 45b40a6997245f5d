import FlotillaKit

/// Merges the upstreams' OpenAPI documents into one for the public API: each upstream
/// path is re-rooted under every route prefix that reaches it, and each upstream's
/// components are renamed `<upstream>.<Name>` (with every `$ref` rewritten) so that two
/// services' `Error` schemas cannot collide.
struct OpenAPIMerger {
    static let renamedComponentKinds = ["schemas", "responses", "parameters", "requestBodies", "headers", "examples", "links", "callbacks"]

    /// - Parameters:
    ///   - documents: each reachable upstream's document, by upstream name.
    ///   - routes: the route table.
    ///   - skipped: upstreams whose documents could not be fetched (listed in the result).
    static func merge(documents: [String: JSONValue], routes: [GatewayRoute], skipped: [String], version: String) -> JSONValue {
        var paths = [String: JSONValue]()
        var components = [String: [String: JSONValue]]()
        for (upstream, document) in documents.sorted(by: { $0.key < $1.key }) {
            guard case .object(let root) = renamingReferences(in: document, upstream: upstream) else { continue }
            if case .object(let upstreamPaths)? = root["paths"] {
                for route in routes where route.upstream == upstream {
                    for (path, item) in upstreamPaths {
                        if let publicPath = publicPath(for: path, route: route) { paths[publicPath] = item }
                    }
                }
            }
            if case .object(let kinds)? = root["components"] {
                for (kind, entries) in kinds {
                    guard case .object(let named) = entries else { continue }
                    for (name, value) in named {
                        let key = kind == "securitySchemes" ? name : "\(upstream).\(name)"
                        components[kind, default: [:]][key] = value
                    }
                }
            }
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Flotilla API"), "version": .string(version),
                "description": .string("Every routed service's API under its public prefix, merged by the gateway."),
            ]),
            "servers": .array([.object(["url": .string("/")])]),
            "paths": .object(paths),
            "components": .object(components.mapValues { .object($0) }),
            "x-flotilla-skipped-upstreams": .array(skipped.sorted().map { .string($0) }),
        ])
    }

    /// The public path of upstream `path` under `route`, or `nil` if the route does not reach it.
    static func publicPath(for path: String, route: GatewayRoute) -> String? {
        guard path.hasPrefix(route.rewrite) else { return nil }
        let rest = path.dropFirst(route.rewrite.count)
        guard rest.isEmpty || rest.first == "/" || route.rewrite.isEmpty else { return nil }
        return route.prefix == "/" ? String(rest) : route.prefix + rest
    }

    /// `value` with every `#/components/<kind>/<Name>` reference pointing at `<upstream>.<Name>`.
    static func renamingReferences(in value: JSONValue, upstream: String) -> JSONValue {
        switch value {
        case .object(let object):
            var result = [String: JSONValue]()
            for (key, element) in object {
                if key == "$ref", case .string(let reference) = element {
                    result[key] = .string(renamed(reference, upstream: upstream))
                } else {
                    result[key] = renamingReferences(in: element, upstream: upstream)
                }
            }
            return .object(result)
        case .array(let array):
            return .array(array.map { renamingReferences(in: $0, upstream: upstream) })
        default:
            return value
        }
    }

    static func renamed(_ reference: String, upstream: String) -> String {
        let parts = reference.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "#", parts[1] == "components", renamedComponentKinds.contains(String(parts[2])) else {
            return reference
        }
        return "#/components/\(parts[2])/\(upstream).\(parts[3])"
    }
}
