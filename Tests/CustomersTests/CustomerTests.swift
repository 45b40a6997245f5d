@testable import Customers
import FlotillaKit
import FlotillaKitTesting
import Foundation
import Synchronization
import HTTPTypes
import Testing

@Suite("customers: records, VIP tiers and access")
struct CustomerTests {
    static func body(_ id: String, email: String) -> String {
        #"{"id":"\#(id)","email":"\#(email)","name":"Test \#(id)","tier":"gold","phone":"+41 22 555 0000","address":{"city":"Geneva"}}"#
    }

    @Test(arguments: [("5000.00", "Bronze"), ("5000.01", "Silver"), ("10000.00", "Silver"), ("10000.01", "Gold"), ("0.00", "Bronze")])
    func vipTierBoundariesAreStrict(_ total: String, _ tier: String) throws {
        #expect(VIPTier(totalSpent: try #require(Money(total))).rawValue == tier)
    }

    @Test func aCustomerComesWithWhatTheySpentAndTheirTier() async throws {
        try await CustomersHarness.run { api in
            let manager = try await api.token([.manager])
            #expect(try await api.send(.post, "/customers", json: Self.body("cust_001", email: "Ada@Example.com"), token: manager).status == .created)
            api.orders.summaries.withLock { $0["cust_001"] = ("10000.01", 3) }
            let reply = try await api.send(.get, "/customers/cust_001", token: manager)
            #expect(reply.status == .ok)
            #expect(reply.json["total_spent"] as? String == "10000.01")
            #expect(reply.json["vip_tier"] as? String == "Gold")
            #expect((reply.json["warnings"] as? [Any])?.isEmpty == true)
            #expect(reply.json["tier"] as? String == "gold", "the stored tier is kept apart from the computed one")
            #expect(api.orders.lastAuthorization.withLock { $0 } == "Bearer \(manager)", "orders sees the caller's token")

            // The boundaries, through HTTP: strictly above 5,000 and 10,000.
            for (total, tier) in [("5000.00", "Bronze"), ("5000.01", "Silver"), ("10000.00", "Silver"), ("10000.01", "Gold")] {
                api.orders.summaries.withLock { $0["cust_001"] = (total, 1) }
                let boundary = try await api.send(.get, "/customers/cust_001", token: manager)
                #expect(boundary.json["vip_tier"] as? String == tier, "\(total)")
                #expect(boundary.json["total_spent"] as? String == total)
            }
        }
    }

    @Test func ordersDownStillServesTheCustomerWithAWarning() async throws {
        try await CustomersHarness.run(ordersDown: true) { api in
            let manager = try await api.token([.manager])
            _ = try await api.send(.post, "/customers", json: Self.body("cust_002", email: "b@example.com"), token: manager)
            let reply = try await api.send(.get, "/customers/cust_002", token: manager)
            #expect(reply.status == .ok)
            #expect(reply.json["total_spent"] is NSNull)
            #expect(reply.json["vip_tier"] is NSNull)
            #expect((reply.json["warnings"] as? [String])?.first?.contains("orders service") == true)
            let delete = try await api.send(.delete, "/customers/cust_002", token: manager)
            #expect(delete.status == .serviceUnavailable, "without orders, deleting is refused rather than risked")
            #expect(try await api.send(.get, "/customers/cust_002/orders", token: manager).status == .serviceUnavailable)
        }
    }

    @Test func uniquenessAndDeletionRules() async throws {
        try await CustomersHarness.run { api in
            let manager = try await api.token([.manager])
            _ = try await api.send(.post, "/customers", json: Self.body("c1", email: "same@example.com"), token: manager)
            #expect(try await api.send(.post, "/customers", json: Self.body("c1", email: "other@example.com"), token: manager).json["error"] as? String == "customer_exists")
            #expect(try await api.send(.post, "/customers", json: Self.body("c2", email: "SAME@example.com"), token: manager).json["error"] as? String == "email_in_use")
            _ = try await api.send(.post, "/customers", json: Self.body("c3", email: "third@example.com"), token: manager)
            let clash = try await api.send(.put, "/customers/c3", json: #"{"email":"Same@Example.com"}"#, token: manager)
            #expect(clash.status == .conflict && clash.json["error"] as? String == "email_in_use")

            api.orders.summaries.withLock { $0["c1"] = ("120.00", 2) }
            let refused = try await api.send(.delete, "/customers/c1", token: manager)
            #expect(refused.status == .conflict && refused.json["error"] as? String == "customer_has_orders")
            #expect(try await api.send(.delete, "/customers/c3", token: manager).status == .noContent)
            #expect(try await api.send(.get, "/customers/c3", token: manager).status == .notFound)
        }
    }

    @Test func aCustomerSeesAndEditsOnlyTheirOwnRecord() async throws {
        try await CustomersHarness.run { api in
            let alice = try await api.token(subject: "alice")
            let bob = try await api.token(subject: "bob")
            let mine = try await api.send(.post, "/customers", json: #"{"id":"c_alice","email":"alice@example.com","name":"Alice"}"#, token: alice)
            #expect(mine.status == .created)
            #expect(mine.json["user_id"] as? String == "alice", "a member's record is linked to their login")
            #expect(try await api.send(.post, "/customers", json: #"{"id":"c_x","email":"x@example.com","name":"X","tier":"platinum"}"#, token: bob).status == .forbidden)

            #expect(try await api.send(.get, "/customers/c_alice", token: alice).status == .ok)
            // Someone else's record answers exactly as a missing one, so ids cannot be probed.
            let missing = try await api.send(.get, "/customers/c_nobody", token: bob)
            #expect(missing.status == .notFound)
            for (method, path, body) in [(HTTPRequest.Method.get, "/customers/c_alice", nil), (.get, "/customers/c_alice/orders", nil), (.put, "/customers/c_alice", #"{"name":"Mallory"}"#)] {
                let reply = try await api.send(method, path, json: body, token: bob)
                #expect(reply.status == .notFound, "\(method) \(path)")
                #expect(reply.json["error"] as? String == missing.json["error"] as? String)
                #expect(reply.json["message"] as? String == "No customer with id 'c_alice'.")
            }
            #expect(try await api.send(.get, "/customers/c_alice", token: alice).json["name"] as? String == "Alice", "bob's PUT changed nothing")
            #expect(try await api.send(.put, "/customers/c_alice", json: #"{"tier":"platinum"}"#, token: alice).status == .forbidden)
            #expect(try await api.send(.put, "/customers/c_alice", json: #"{"phone":"+1 555"}"#, token: alice).json["phone"] as? String == "+1 555")
            #expect(try await api.send(.delete, "/customers/c_alice", token: alice).status == .forbidden)

            let own = try await api.send(.get, "/customers/c_alice/orders?status=completed", token: alice)
            #expect(own.status == .ok)
            #expect(own.json["status"] as? String == "completed", "the status filter is passed on")
            let listed = try await api.send(.get, "/customers", token: bob)
            #expect((listed.json["data"] as? [Any])?.isEmpty == true, "a member lists only their own records")
        }
    }

    @Test func listingFiltersAndFailureModes() async throws {
        try await CustomersHarness.run { api in
            let manager = try await api.token([.manager])
            for (index, tier) in ["gold", "silver", "gold"].enumerated() {
                _ = try await api.send(.post, "/customers", json: #"{"id":"l\#(index)","email":"Person\#(index)@Example.com","name":"P","tier":"\#(tier)"}"#, token: manager)
            }
            let gold = try await api.send(.get, "/customers?tier=gold", token: manager)
            #expect((gold.json["pagination"] as? [String: Any])?["total"] as? Int == 2)
            let byEmail = try await api.send(.get, "/customers?email=PERSON1", token: manager)
            #expect((byEmail.json["data"] as? [[String: Any]])?.first?["id"] as? String == "l1")
            let wildcard = try await api.send(.get, "/customers?email=%25", token: manager)
            #expect((wildcard.json["data"] as? [Any])?.isEmpty == true, "% is matched literally")
            #expect(try await api.send(.get, "/customers?tier=diamond", token: manager).status == .badRequest)
            #expect(try await api.send(.get, "/customers?limit=0", token: manager).status == .badRequest)
            #expect(try await api.send(.get, "/customers", token: nil).status == .unauthorized)
            let invalid = try await api.send(.post, "/customers", json: #"{"email":"nope","tier":"diamond"}"#, token: manager)
            let fields = (invalid.json["details"] as? [String: Any])?["fields"] as? [String: Any]
            #expect(Set(fields?.keys.map { $0 } ?? []) == ["id", "email", "name", "tier"])
            #expect(try await api.send(.put, "/customers/l0", json: "{}", token: manager).status == .badRequest)
            #expect(try await api.send(.put, "/customers/none", json: #"{"name":"x"}"#, token: manager).status == .notFound)
            #expect(try await api.send(.get, "/customers/bad%20id", token: manager).status == .notFound)
        }
    }

    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url()])
        let application = buildApplication(CustomersConfiguration(environment: &environment), httpClient: CustomersHarness.client)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Customers")
        #expect(problems.isEmpty, "\(problems)")
    }
}
