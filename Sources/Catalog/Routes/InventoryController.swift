import FlotillaKit
import Hummingbird

/// `PATCH /products/{id}/inventory` (a purchase: any authenticated caller, e.g. orders with
/// its service token) and `POST /products/{id}/inventory/restock` (compensation and admins).
struct InventoryController: Sendable {
    let products: ProductRepository
    let cache: RedisCache

    struct QuantityInput: Decodable {
        let quantity: Int
    }

    /// What a purchase answers: the product after it, and the exact cost.
    struct Purchase: Encodable {
        let product: Product
        let quantity: Int
        let remainingStock: Int
        let unitPrice: Money
        let totalCost: Money

        enum CodingKeys: String, CodingKey {
            case product, quantity, remainingStock = "remaining_stock", unitPrice = "unit_price", totalCost = "total_cost"
        }
    }

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.patch("/products/{id}/inventory", use: decrement)
        group.post("/products/{id}/inventory/restock", use: restock)
    }

    @Sendable func decrement(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try context.requirePrincipal()
        let id = try ProductController.id(context)
        let quantity = try await Self.quantity(request, context: context)
        switch try await products.decrement(id, by: quantity) {
        case .done(let product):
            await cache.invalidate(id)
            return JSONResponse.make(Purchase(product: product, quantity: quantity, remainingStock: product.stock, unitPrice: product.price, totalCost: product.price * quantity))
        case .insufficient(let available):
            throw APIError(
                .conflict, code: "insufficient_stock",
                message: "Only \(available) of product '\(id)' left; \(quantity) requested.",
                details: ["requested": .int(quantity), "available": .int(available)])
        case .notFound:
            throw APIError.notFound("No product with id '\(id)'.")
        }
    }

    /// Admins and managers restock; service accounts with `catalog:inventory` compensate.
    @Sendable func restock(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.has(anyOf: ProductController.editors) || principal.scopes.contains("catalog:inventory") else {
            throw APIError.forbidden("Restocking needs the role admin or manager, or the catalog:inventory scope.")
        }
        let id = try ProductController.id(context)
        let quantity = try await Self.quantity(request, context: context)
        guard let product = try await products.restock(id, by: quantity) else { throw APIError.notFound("No product with id '\(id)'.") }
        await cache.invalidate(id)
        return JSONResponse.make(product)
    }

    static func quantity(_ request: Request, context: FlotillaRequestContext) async throws -> Int {
        let input = try await request.decodeJSON(as: QuantityInput.self, context: context)
        guard (1...1_000_000).contains(input.quantity) else {
            throw APIError.invalidField("quantity", "quantity must be a positive integer (at most 1000000); got \(input.quantity).")
        }
        return input.quantity
    }
}
