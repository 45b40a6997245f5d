import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

@Suite("PostgreSQL binding and decoding")
struct PostgresTypeTests {
    struct Everything: Decodable, Equatable {
        enum Status: String, Decodable { case active, archived }
        struct Metadata: Decodable, Equatable { let movement: String; let diameter: Int }

        let id: UUID
        let count: Int
        let big: Int64
        let ratio: Double
        let price: Decimal
        let flag: Bool
        let name: String
        let createdAt: Date
        let payload: Data
        let metadata: Metadata
        let tags: [String]
        let scores: [Int]
        let status: Status
        let note: String?

        enum CodingKeys: String, CodingKey {
            case id, count, big, ratio, price, flag, name, payload, metadata, tags, scores, status, note
            case createdAt = "created_at"
        }
    }

    @Test func everyTypeRoundTripsThroughATable() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let schema = try await TestDatabase.makeSchema(in: pool)
        try await pool.query("""
            CREATE TABLE \(schema).everything (
              id uuid PRIMARY KEY, count int8, big int8, ratio float8, price numeric(30,9), flag bool,
              name text, created_at timestamptz, payload bytea, metadata jsonb, tags text[], scores int8[],
              status varchar(20), note text)
            """)
        let id = UUID()
        let created = Date(timeIntervalSince1970: 1_795_290_724.123456)
        let payload = Data([0, 1, 2, 0xFE, 0xFF])
        try await pool.query(
            "INSERT INTO \(schema).everything VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
            [
                id, 42, Int64.max, 0.1 + 0.2, Decimal(string: "123456789012345678901.123456789")!, true,
                "quote \" backslash \\ comma, brace { ünï", created, payload,
                PostgresJSON(["movement": JSONValue.string("automatic"), "diameter": 40]),
                ["a", "b,c", "d\"e", "NULL"], [1, -2, 3], "archived", String?.none,
            ]
        )
        let row = try #require(try await pool.query("SELECT * FROM \(schema).everything WHERE id = $1", [id]).rows.first)
        let decoded = try row.decode(Everything.self)
        #expect(decoded.id == id)
        #expect(decoded.count == 42)
        #expect(decoded.big == Int64.max)
        #expect(decoded.ratio == 0.1 + 0.2)
        #expect(decoded.price == Decimal(string: "123456789012345678901.123456789")!)
        #expect(decoded.flag)
        #expect(decoded.name == "quote \" backslash \\ comma, brace { ünï")
        #expect(abs(decoded.createdAt.timeIntervalSince(created)) < 0.000_001)
        #expect(decoded.payload == payload)
        #expect(decoded.metadata == .init(movement: "automatic", diameter: 40))
        #expect(decoded.tags == ["a", "b,c", "d\"e", "NULL"])
        #expect(decoded.scores == [1, -2, 3])
        #expect(decoded.status == .archived)
        #expect(decoded.note == nil)
    }

    @Test func numericKeepsEveryDigit() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let row = try #require(try await pool.query("SELECT $1::numeric(12,2) + 0.01 AS total, 0.1::numeric + 0.2 AS sum", [Decimal(string: "19.99")!]).rows.first)
        #expect(try row.decode("total", as: Decimal.self) == Decimal(string: "20.00")!)
        #expect(try row.decode("sum", as: Decimal.self) == Decimal(string: "0.3")!)
        #expect(try row.decode("sum", as: Decimal.self).description == "0.3")
    }

    @Test func nullsDecodeOnlyIntoOptionals() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let row = try #require(try await pool.query("SELECT NULL::int8 AS missing, $1::int8 AS bound", [Int?.none]).rows.first)
        #expect(try row.decode("missing", as: Int?.self) == nil)
        #expect(try row.decode("bound", as: Int?.self) == nil)
        let error = #expect(throws: PostgresError.self) { try row.decode("missing", as: Int.self) }
        #expect(error?.message.contains("column 'missing' is NULL") == true)
    }

    @Test func decodingErrorsNameTheColumnAndWhy() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let row = try #require(try await pool.query("SELECT 'twelve'::text AS quantity").rows.first)
        let error = #expect(throws: PostgresError.self) { try row.decode("quantity", as: Int.self) }
        #expect(error?.kind == .decoding)
        #expect(error?.message.contains("column 'quantity'") == true)
        #expect(error?.message.contains("'twelve'") == true)
        let missing = #expect(throws: PostgresError.self) { try row.decode("qty", as: Int.self) }
        #expect(missing?.message.contains("no column 'qty'") == true)
    }

    /// A row type that reads itself; `via` says which way it was built.
    struct Watch: Decodable, PostgresRowDecodable {
        let name: String
        let metadata: [String: JSONValue]
        var via = "Decodable"

        enum CodingKeys: String, CodingKey { case name, metadata }

        init(row: PostgresRow) throws(PostgresError) {
            name = try row.decode("name")
            metadata = try row.decode("metadata")
            via = "row"
        }
    }

    @Test func aRowTypeThatReadsItselfIsBuiltThatWay() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let result = try await pool.query(#"SELECT 'Seamaster' AS name, '{"movement": "automatic", "diameter": 42}'::jsonb AS metadata"#)
        let watches = try result.decode(Watch.self)
        #expect(watches.map(\.via) == ["row"])
        #expect(watches.first?.metadata == ["movement": .string("automatic"), "diameter": .int(42)])
        let notAnObject = try #require(try await pool.query(#"SELECT 'x' AS name, '[1, 2]'::jsonb AS metadata"#).rows.first)
        let error = #expect(throws: PostgresError.self) { try notAnObject.decode(Watch.self) }
        #expect(error?.kind == .decoding)
        #expect(error?.message.contains("column 'metadata'") == true)
    }

    @Test func parametersAreNeverInterpolated() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let hostile = "'; DROP TABLE pg_class; --"
        let row = try #require(try await pool.query("SELECT $1::text AS echoed", [hostile]).rows.first)
        #expect(try row.decode("echoed", as: String.self) == hostile)
    }
}
