import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Customers in PostgreSQL.
struct CustomerRepository: Sendable {
    let pool: PostgresPool
    static let columns = "id, user_id, email, name, tier, phone, address, created_at, updated_at"

    /// A page of customers, filtered by `tier`, an email substring (any case), and — for
    /// callers who may only see their own — `userID`.
    func list(tier: String?, email: String?, userID: String?, page: PageRequest) async throws -> (customers: [Customer], total: Int) {
        var clauses = [String]()
        var parameters = [any PostgresEncodable]()
        if let tier { parameters.append(tier); clauses.append("tier = $\(parameters.count)") }
        if let email {
            let escaped = email.lowercased().replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_")
            parameters.append("%" + escaped + "%")
            clauses.append("lower(email) LIKE $\(parameters.count)")
        }
        if let userID { parameters.append(userID); clauses.append("user_id = $\(parameters.count)") }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let (customers, total) = try await pool.page(
            Customer.self, columns: Self.columns, from: "customers", filter: filter, parameters: parameters, orderBy: "id", page: page)
        return (customers, total)
    }

    func find(_ id: String) async throws -> Customer? {
        try await pool.query("SELECT \(Self.columns) FROM customers WHERE id = $1", [id]).decode(Customer.self).first
    }

    func create(_ input: CustomerInput) async throws -> Customer {
        do {
            return try await pool.query(
                """
                INSERT INTO customers (id, user_id, email, name, tier, phone, address)
                VALUES ($1, $2, $3, $4, COALESCE($5, 'bronze'), $6, $7) RETURNING \(Self.columns)
                """,
                [input.id, input.userID, input.email, input.name.map(\.trimmed), input.tier, input.phone,
                 PostgresJSON(input.address ?? [:])]
            ).decode(Customer.self)[0]
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation {
            throw Self.conflict(error)
        }
    }

    func update(_ id: String, with input: CustomerInput) async throws -> Customer? {
        do {
            return try await pool.query(
                """
                UPDATE customers SET user_id = COALESCE($2, user_id), email = COALESCE($3, email), name = COALESCE($4, name),
                    tier = COALESCE($5, tier), phone = COALESCE($6, phone), address = COALESCE($7, address), updated_at = now()
                WHERE id = $1 RETURNING \(Self.columns)
                """,
                [id, input.userID, input.email, input.name.map(\.trimmed), input.tier, input.phone,
                 input.address.map { PostgresJSON($0) }]
            ).decode(Customer.self).first
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation {
            throw Self.conflict(error)
        }
    }

    func delete(_ id: String) async throws -> Bool {
        !(try await pool.query("DELETE FROM customers WHERE id = $1 RETURNING id", [id]).rows.isEmpty)
    }

    /// 409 naming what is already taken: the id, the email or the login.
    static func conflict(_ error: PostgresError) -> APIError {
        switch error.constraint {
        case "customers_email_unique":
            APIError(.conflict, code: "email_in_use", message: "Another customer already uses this email.", details: ["field": "email"])
        case "customers_user_id_key":
            APIError(.conflict, code: "user_already_linked", message: "This login already has a customer record.", details: ["field": "user_id"])
        default:
            APIError(.conflict, code: "customer_exists", message: "A customer with this id already exists.", details: ["field": "id"])
        }
    }
}
