public import Hummingbird

/// Lets the request through only when the principal has at least one of `roles`
/// (401 without a principal, 403 without the role). Put it after ``AuthenticationMiddleware``.
public struct RequireRoleMiddleware: RouterMiddleware {
    public typealias Context = FlotillaRequestContext
    let roles: Set<Role>

    public init(anyOf roles: Set<Role>) {
        self.roles = roles
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try context.requirePrincipal(anyOf: roles)
        return try await next(request, context)
    }
}

/// Lets the request through only when the principal's token carries `scope`.
public struct RequireScopeMiddleware: RouterMiddleware {
    public typealias Context = FlotillaRequestContext
    let scope: String

    public init(_ scope: String) {
        self.scope = scope
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.scopes.contains(scope) else {
            throw APIError.forbidden("This operation needs the '\(scope)' scope, which the token does not carry.")
        }
        return try await next(request, context)
    }
}

extension FlotillaRequestContext {
    /// The authenticated caller, or 401 when there is none.
    @discardableResult
    public func requirePrincipal() throws(APIError) -> Principal {
        guard let principal else { throw TokenRejection.missing.apiError }
        return principal
    }

    /// The authenticated caller when it has one of `roles`; 401 or 403 otherwise.
    @discardableResult
    public func requirePrincipal(anyOf roles: Set<Role>) throws(APIError) -> Principal {
        let principal = try requirePrincipal()
        guard principal.has(anyOf: roles) else {
            let names = roles.sorted().map(\.rawValue).joined(separator: " or ")
            throw APIError.forbidden("This operation needs the role \(names).")
        }
        return principal
    }

    /// The caller when it owns the resource (its subject is `ownerID`) or is an admin;
    /// 401 or 403 otherwise. Use for "this habit belongs to the caller".
    @discardableResult
    public func requireOwnerOrAdmin(_ ownerID: String) throws(APIError) -> Principal {
        let principal = try requirePrincipal()
        guard principal.subject == ownerID || principal.isAdmin else {
            throw APIError.forbidden("This resource belongs to another user.")
        }
        return principal
    }
}
