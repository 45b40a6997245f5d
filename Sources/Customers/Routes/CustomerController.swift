import FlotillaKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The customers routes. Admins and managers see and change every customer; anyone else
/// only the record linked to their login, and cannot change its stored tier.
struct CustomerController: Sendable {
    let customers: CustomerRepository
    let orders: OrdersClient

    static let editors: Set<Role> = [.admin, .manager]

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/customers", use: list)
        group.post("/customers", use: create)
        group.get("/customers/{id}", use: show)
        group.put("/customers/{id}", use: update)
        group.delete("/customers/{id}", use: delete)
        group.get("/customers/{id}/orders", use: customerOrders)
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let page = PageRequest(&query, defaultLimit: 20, maxLimit: 100)
        let tier = query.choice("tier", in: Customer.tiers)
        let email = query.string("email", maxLength: 254)
        try query.validate()
        let ownOnly = principal.has(anyOf: Self.editors) ? nil : principal.subject
        let (found, total) = try await customers.list(tier: tier, email: email, userID: ownOnly, page: page)
        return JSONResponse.make(CustomerPage(data: found, pagination: page.info(total: total)))
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let customer = try await accessibleCustomer(context)
        var warnings = [String]()
        var summary: OrdersClient.Summary?
        do {
            summary = try await orders.summary(customerID: customer.id, authorization: request.headers[.authorization])
        } catch {
            warnings.append("total_spent and vip_tier are unavailable: \(error.description); retry later")
            context.logger.warning("orders summary unavailable", metadata: ["customer_id": "\(customer.id)", "reason": "\(error.description)"])
        }
        let detail = CustomerDetail(
            customer: customer, totalSpent: summary?.totalSpent, vipTier: summary.map { VIPTier(totalSpent: $0.totalSpent).rawValue },
            warnings: warnings)
        return JSONResponse.make(detail)
    }

    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var input = try await request.decodeJSON(as: CustomerInput.self, context: context)
        try input.validate(creating: true)
        if !principal.has(anyOf: Self.editors) {
            // Anyone may create their own record; only editors set tiers or link other logins.
            guard input.tier == nil, input.userID == nil || input.userID == principal.subject else {
                throw APIError.forbidden("Only admins and managers set tiers or create customers for other logins.")
            }
            input.userID = principal.subject
        }
        let customer = try await customers.create(input)
        var response = JSONResponse.make(customer, status: .created)
        response.headers[.location] = "/customers/\(customer.id)"
        return response
    }

    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let customer = try await accessibleCustomer(context)
        let input = try await request.decodeJSON(as: CustomerInput.self, context: context)
        try input.validate(creating: false)
        if !principal.has(anyOf: Self.editors), input.tier != nil || input.userID != nil {
            throw APIError.forbidden("Only admins and managers change a customer's tier or login.")
        }
        guard let updated = try await customers.update(customer.id, with: input) else { throw Self.notFound(customer.id) }
        return JSONResponse.make(updated)
    }

    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try context.requirePrincipal(anyOf: Self.editors)
        let id = try Self.id(context)
        guard try await customers.find(id) != nil else { throw Self.notFound(id) }
        let summary: OrdersClient.Summary
        do {
            summary = try await orders.summary(customerID: id, authorization: request.headers[.authorization])
        } catch {
            throw APIError(
                .serviceUnavailable, code: "upstream_unavailable",
                message: "Cannot check the customer's orders right now (\(error.description)); nothing was deleted.", headers: [.retryAfter: "1"])
        }
        guard summary.orderCount == 0 else {
            throw APIError(
                .conflict, code: "customer_has_orders", message: "The customer has \(summary.orderCount) orders and cannot be deleted.",
                details: ["order_count": .int(summary.orderCount)])
        }
        _ = try await customers.delete(id)
        return Response(status: .noContent)
    }

    @Sendable func customerOrders(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let customer = try await accessibleCustomer(context)
        let response: HTTPClientResponse
        do {
            response = try await orders.orders(customerID: customer.id, query: Self.forwardedQuery(request), authorization: request.headers[.authorization])
        } catch {
            throw APIError(.serviceUnavailable, code: "upstream_unavailable", message: "The orders service is unavailable right now; retry shortly.", headers: [.retryAfter: "1"])
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: [.contentType: response.header("Content-Type") ?? "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    /// `status`, `limit` and `offset` pass through to orders; anything else is dropped.
    static func forwardedQuery(_ request: Request) -> String {
        ["status", "limit", "offset"].compactMap { name in
            request.uri.queryParameters.get(name).flatMap { value in
                value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) ? "\(name)=\(value)" : nil
            }
        }.joined(separator: "&")
    }

    /// The customer in the path: 404 when there is none, and the same 404 when it is someone
    /// else's and the caller is not an admin or manager (a 403 would tell that the id exists).
    func accessibleCustomer(_ context: FlotillaRequestContext) async throws -> Customer {
        let principal = try context.requirePrincipal()
        let id = try Self.id(context)
        guard let customer = try await customers.find(id),
            principal.has(anyOf: Self.editors) || customer.userID == principal.subject
        else { throw Self.notFound(id) }
        return customer
    }

    static func id(_ context: FlotillaRequestContext) throws(APIError) -> String {
        guard let id = context.parameters.get("id"), (1...64).contains(id.count),
            id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { throw APIError.notFound("No such customer.") }
        return id
    }

    static func notFound(_ id: String) -> APIError {
        APIError.notFound("No customer with id '\(id)'.")
    }
}
