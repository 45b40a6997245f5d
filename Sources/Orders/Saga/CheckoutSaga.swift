import FlotillaKit
import HTTPTypes
import Logging

/// Checkout as a saga: check the customer, reserve each line in the catalog (prices come
/// from the catalog's answer), and if any line fails put back what was reserved, so a
/// failed checkout leaves stock as it was. Transport failures mid-way compensate too.
struct CheckoutSaga: Sendable {
    let upstreams: CheckoutUpstreams
    /// Where restocks that fail wait for ``RestockRetrier``.
    let restocks: RestockQueue
    let logger: Logger

    /// The priced lines of a checkout whose stock is now reserved.
    func run(_ request: CheckoutRequest, authorization: String?) async throws -> [OrderItem] {
        try await checkCustomer(request.customerId, authorization: authorization)
        var reserved = [OrderItem]()
        do {
            for item in request.items {
                switch try await upstreams.reserve(item.productId, quantity: item.quantity, authorization: authorization) {
                case .reserved(let unitPrice):
                    reserved.append(OrderItem(productID: item.productId, quantity: item.quantity, unitPrice: unitPrice, lineTotal: unitPrice * item.quantity))
                case .refused(let status, let code, let available):
                    throw Self.refusal(item, status: status, code: code, available: available)
                }
            }
            return reserved
        } catch {
            await compensate(reserved, orderID: nil)
            if let apiError = error as? APIError { throw apiError }
            throw Self.unavailable("catalog", error)
        }
    }

    /// Put back every line of `orderID` (or of a checkout that made no order). Lines the
    /// catalog did not take back are queued for ``RestockRetrier`` and returned: the caller
    /// must not report the compensation as done while any are pending.
    @discardableResult
    func compensate(_ lines: [OrderItem], orderID: String?) async -> [OrderItem] {
        var pending = [OrderItem]()
        var lastError = ""
        for line in lines {
            do {
                try await upstreams.release(line.productID, quantity: line.quantity)
            } catch {
                pending.append(line)
                lastError = "\(error)"
                logger.warning("restock failed: queued for retry", metadata: ["product_id": "\(line.productID)", "quantity": "\(line.quantity)", "error.description": "\(error)"])
            }
        }
        do {
            try await restocks.enqueue(pending, orderID: orderID, error: lastError)
        } catch {
            logger.error("restock could not be queued: stock not restored", metadata: ["order_id": "\(orderID ?? "-")", "lines": "\(pending.map(\.productID))", "error.description": "\(error)"])
        }
        return pending
    }

    func checkCustomer(_ id: String, authorization: String?) async throws {
        let status: Int
        do {
            status = try await upstreams.customerStatus(id, authorization: authorization)
        } catch {
            throw Self.unavailable("customers", error)
        }
        switch status {
        case 200: return
        case 404: throw APIError(.unprocessableContent, code: "unknown_customer", message: "There is no customer '\(id)'.", details: ["field": "customerId"])
        case 401, 403: throw APIError.forbidden("You may not order for customer '\(id)'.")
        default: throw Self.unavailable("customers", "answered \(status)")
        }
    }

    static func refusal(_ item: CheckoutRequest.Item, status: Int, code: String, available: Int?) -> APIError {
        switch (status, code) {
        case (409, "insufficient_stock"):
            return APIError(
                .conflict, code: "insufficient_stock",
                message: "Only \(available ?? 0) of product '\(item.productId)' left; \(item.quantity) requested. Nothing was ordered.",
                details: ["productId": .string(item.productId), "requested": .int(item.quantity), "available": .int(available ?? 0)])
        case (404, _):
            return APIError(
                .conflict, code: "unknown_product", message: "There is no product '\(item.productId)'. Nothing was ordered.",
                details: ["productId": .string(item.productId)])
        default:
            return unavailable("catalog", "answered \(status) \(code)")
        }
    }

    static func unavailable(_ service: String, _ reason: Any) -> APIError {
        APIError(
            .serviceUnavailable, code: "upstream_unavailable",
            message: "The \(service) service is unavailable; nothing was ordered. Retry with the same Idempotency-Key.",
            details: ["upstream": .string(service)], headers: [.retryAfter: "1"])
    }
}
