import FlotillaKit

/// Where a user's emails go and what to call them, kept from auth's events.
struct Recipient: Sendable, Equatable {
    let userID: String
    let email: String?
    let name: String
}

extension PostgresSession {
    /// Remember (or update) `userID`'s address and name.
    func saveRecipient(userID: String, email: String?, name: String?) async throws {
        try await query(
            """
            INSERT INTO recipients (user_id, email, name) VALUES ($1, $2, COALESCE($3, ''))
            ON CONFLICT (user_id) DO UPDATE SET email = COALESCE(EXCLUDED.email, recipients.email),
                name = CASE WHEN $3::text IS NULL THEN recipients.name ELSE EXCLUDED.name END, updated_at = now()
            """,
            [userID, email, name])
    }

    /// What to call `userID` in a message: the name auth told us, else "Someone" (user ids
    /// mean nothing to people).
    func displayName(of userID: String) async throws -> String {
        guard let name = try await recipient(userID)?.name, !name.isEmpty else { return "Someone" }
        return name
    }

    func recipient(_ userID: String) async throws -> Recipient? {
        try await query("SELECT user_id, email, name FROM recipients WHERE user_id = $1", [userID]).rows.first.map {
            Recipient(userID: try $0.decode("user_id"), email: try $0.decode("email", as: String?.self), name: try $0.decode("name"))
        }
    }

    /// Forget everything about `userID` (their account was deleted); emails not yet sent go too.
    func forgetUser(_ userID: String) async throws {
        for table in ["recipients", "notifications", "preferences", "reminders"] {
            try await query("DELETE FROM \(table) WHERE user_id = $1", [userID])
        }
        try await query("DELETE FROM email_deliveries WHERE user_id = $1 AND status = 'queued'", [userID])
    }
}
