import HTTPTypes
public import Hummingbird

extension Router where Context == FlotillaRequestContext {
    /// Methods a route can be asked for; a path served for some of them answers the
    /// others with 405.
    static var answeredMethods: [HTTPRequest.Method] { [.get, .post, .put, .patch, .delete] }

    /// For every path already routed, answer the methods it does not serve with 405
    /// `method_not_allowed` and an `Allow` header instead of Hummingbird's 404.
    ///
    /// Call after every route has been added.
    public func addMethodNotAllowedResponders() {
        let methodsByPath = Dictionary(grouping: routes, by: { $0.path.description }).mapValues { $0.map(\.method) }
        let pathsByDescription = Dictionary(routes.map { ($0.path.description, $0.path) }, uniquingKeysWith: { first, _ in first })
        for (description, methods) in methodsByPath {
            guard let path = pathsByDescription[description] else { continue }
            var allowed = methods
            if methods.contains(.get) && !methods.contains(.head) { allowed.append(.head) }
            let sortedAllowed = allowed.sorted { $0.rawValue < $1.rawValue }
            for method in Self.answeredMethods where !methods.contains(method) {
                on(path, method: method) { request, _ -> Response in
                    throw APIError.methodNotAllowed(request.method, path: request.uri.path, allowed: sortedAllowed)
                }
            }
        }
    }
}
