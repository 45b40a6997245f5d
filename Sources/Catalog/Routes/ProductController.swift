import FlotillaKit
import HTTPTypes
import Hummingbird

/// `GET /products`, `GET/PUT/DELETE /products/{id}`, `POST /products`. Reads are public;
/// writes need role `admin` or `manager`.
struct ProductController: Sendable {
    let products: ProductRepository
    let cache: RedisCache

    static let editors: Set<Role> = [.admin, .manager]

    func addPublicRoutes(to router: Router<FlotillaRequestContext>) {
        router.get("/products", use: list)
        router.get("/products/{id}", use: show)
    }

    func addEditorRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/products", use: create)
        group.put("/products/{id}", use: update)
        group.delete("/products/{id}", use: delete)
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let query = try ProductListQuery(request)
        let (page, total) = try await products.list(query)
        return JSONResponse.make(ProductPage(data: page, pagination: query.page.info(total: total)))
    }

    private static let cachedTrue = Array(#","cached":true}"#.utf8)
    private static let cachedFalse = Array(#","cached":false}"#.utf8)

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let id = try Self.id(context)
        // The product's JSON as cached, with `cached` added: a hit is never decoded.
        let lookup = try await cache.json(for: id) { try await products.find(id) }
        guard var json = lookup.value, json.last == UInt8(ascii: "}") else { throw APIError.notFound("No product with id '\(id)'.") }
        json.removeLast()
        json += lookup.cached ? Self.cachedTrue : Self.cachedFalse
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", HTTPField.Name("X-Cache")!: lookup.cached ? "HIT" : "MISS"],
            body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try context.requirePrincipal(anyOf: Self.editors)
        let input = try await request.decodeJSON(as: ProductInput.self, context: context)
        try input.validate(requireAll: true)
        let product = try await products.create(input)
        var response = JSONResponse.make(product, status: .created)
        response.headers[.location] = "/products/\(product.id)"
        return response
    }

    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try context.requirePrincipal(anyOf: Self.editors)
        let id = try Self.id(context)
        let input = try await request.decodeJSON(as: ProductInput.self, context: context)
        try input.validate(requireAll: false)
        guard let product = try await products.update(id, with: input) else { throw APIError.notFound("No product with id '\(id)'.") }
        await cache.invalidate(id)
        return JSONResponse.make(product)
    }

    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try context.requirePrincipal(anyOf: Self.editors)
        let id = try Self.id(context)
        guard try await products.delete(id) else { throw APIError.notFound("No product with id '\(id)'.") }
        await cache.invalidate(id)
        return Response(status: .noContent)
    }

    static func id(_ context: FlotillaRequestContext) throws(APIError) -> String {
        guard let id = context.parameters.get("id"), (1...64).contains(id.count) else { throw APIError.notFound("No such product.") }
        return id
    }
}
