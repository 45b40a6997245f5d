@testable import Catalog
import FlotillaKit
import Foundation
import Testing

/// Products and their list pages write exactly what the kit's encoder writes.
@Suite("catalog: product JSON")
struct ProductJSONTests {
    static let products = [
        Product(
            id: "prod_001", name: "Submariner \"Date\" / 41", brand: "Rolex", category: "sport", price: Money("10250.00")!, stock: 3,
            metadata: ["movement": .string("automatic"), "diameter_mm": .int(41), "bezel": .object(["material": .string("cerachrom")])],
            createdAt: Date(timeIntervalSince1970: 1_796_632_467.25), updatedAt: Date(timeIntervalSince1970: 1_796_632_999.999)),
        Product(
            id: "prod_002", name: "Tank – 東京", brand: "Cartier", category: "luxury", price: Money("0.50")!, stock: 0, metadata: [:],
            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 1)),
    ]

    @Test func aProductIsWrittenAsTheEncoderWritesIt() throws {
        for product in Self.products {
            let encoded = String(decoding: try JSONResponse.makeEncoder().encode(product), as: UTF8.self)
            #expect(JSONTextWriter.text(of: product) == encoded)
        }
    }

    @Test func aPageIsWrittenAsTheEncoderWritesIt() throws {
        for page in [ProductPage(data: Self.products, pagination: PageInfo(limit: 2, offset: 0, total: 7, hasMore: true)),
                     ProductPage(data: [], pagination: PageInfo(limit: 10, offset: 50, total: 7, hasMore: false))] {
            let encoded = String(decoding: try JSONResponse.makeEncoder().encode(page), as: UTF8.self)
            #expect(JSONTextWriter.text(of: page) == encoded)
        }
    }
}
