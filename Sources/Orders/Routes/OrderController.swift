import FlotillaKit
import HTTPTypes
import Hummingbird

/// The orders routes. Members see and cancel the orders they placed; admins and managers
/// see all and complete orders.
struct OrderController: Sendable {
    let orders: OrderRepository
    let saga: CheckoutSaga

    static let editors: Set<Role> = [.admin, .manager]

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/orders", use: checkout)
        group.get("/orders", use: list)
        group.get("/orders/summary", use: summary)
        group.get("/orders/{id}", use: show)
        group.post("/orders/{id}/cancel", use: cancel)
        group.post("/orders/{id}/complete", use: complete)
    }

    @Sendable func checkout(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!], (1...200).contains(key.count) else {
            throw APIError(
                .badRequest, code: "idempotency_key_required",
                message: "Send an Idempotency-Key header (1 to 200 characters), and the same one when retrying this checkout.")
        }
        let input = try await request.decodeJSON(as: CheckoutRequest.self, context: context)
        try input.validate()
        let owner = "\(principal.kind.rawValue):\(principal.subject)"
        switch try await orders.claim(principal: owner, key: key, fingerprint: input.fingerprint) {
        case .done(let orderID):
            guard let order = try await orders.find(orderID) else { throw APIError.internalError }
            var response = JSONResponse.make(order, status: .created)
            response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
            return response
        case .inProgress:
            throw APIError(.conflict, code: "idempotency_in_progress", message: "A checkout with this Idempotency-Key is still running; retry in a moment.", headers: [.retryAfter: "1"])
        case .mismatch:
            throw APIError(.unprocessableContent, code: "idempotency_key_reused", message: "This Idempotency-Key was used for a different checkout; use a new key.")
        case .claimed:
            break
        }
        do {
            let lines = try await saga.run(input, authorization: request.headers[.authorization])
            do {
                let order = try await orders.insert(input, lines: lines, createdBy: principal.subject, idempotency: (owner, key))
                var response = JSONResponse.make(order, status: .created)
                response.headers[.location] = "/orders/\(order.id)"
                return response
            } catch {
                await saga.compensate(lines, orderID: nil)
                throw error
            }
        } catch {
            await orders.release(principal: owner, key: key)
            throw error
        }
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let page = PageRequest(&query, defaultLimit: 20, maxLimit: 100)
        let customerID = query.string("customerId", maxLength: 64)
        let status = query.choice("status", in: ["pending", "completed", "cancelled"])
        try query.validate()
        let createdBy = principal.has(anyOf: Self.editors) ? nil : principal.subject
        let (found, total) = try await orders.list(customerID: customerID, status: status, createdBy: createdBy, page: page)
        return JSONResponse.make(OrderPage(data: found, pagination: page.info(total: total)))
    }

    /// What the customers service reads for `total_spent` (a member's view covers only the
    /// orders they placed themselves).
    @Sendable func summary(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let customerID = query.string("customerId", maxLength: 64)
        if customerID == nil { query.record("customerId", "is required") }
        try query.validate()
        let createdBy = principal.has(anyOf: Self.editors) ? nil : principal.subject
        return JSONResponse.make(try await orders.summary(customerID: customerID ?? "", createdBy: createdBy))
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(try await visibleOrder(context))
    }

    @Sendable func cancel(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let order = try await visibleOrder(context)
        guard let cancelled = try await orders.transition(order.id, to: "cancelled", by: try context.requirePrincipal().subject) else { throw Self.notPending(order) }
        // 200 once the stock is back; 202 while some of it waits in the restock queue.
        let pending = await saga.compensate(cancelled.items, orderID: cancelled.id)
        return JSONResponse.make(Cancellation(order: cancelled, restock: pending.isEmpty ? "done" : "pending"), status: pending.isEmpty ? .ok : .accepted)
    }

    @Sendable func complete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try context.requirePrincipal(anyOf: Self.editors)
        let order = try await visibleOrder(context)
        guard let completed = try await orders.transition(order.id, to: "completed", by: try context.requirePrincipal().subject) else { throw Self.notPending(order) }
        return JSONResponse.make(completed)
    }

    /// The order in the path if the caller placed it or is an editor; someone else's order is
    /// the same 404 as a missing one (a 403 would tell that the id exists).
    func visibleOrder(_ context: FlotillaRequestContext) async throws -> Order {
        let principal = try context.requirePrincipal()
        let id = context.parameters.get("id") ?? ""
        guard CheckoutRequest.isID(id), let order = try await orders.find(id),
            principal.has(anyOf: Self.editors) || order.createdBy == principal.subject
        else { throw APIError.notFound("No order with id '\(id.prefix(64))'.") }
        return order
    }

    static func notPending(_ order: Order) -> APIError {
        APIError(.conflict, code: "order_not_pending", message: "The order is \(order.status); only pending orders change.", details: ["status": .string(order.status)])
    }
}
