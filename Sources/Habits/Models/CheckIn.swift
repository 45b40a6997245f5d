import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One day's check-in of a habit: at most one per habit and local date.
struct CheckIn: Codable, Sendable, Equatable {
    let habitID: String
    let date: LocalDate
    var value: Int
    var note: String?
    let createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case date, value, note
        case habitID = "habit_id", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// The body of `PUT /habits/{id}/check-ins/{date}` (it may be empty: value 1, no note).
struct CheckInInput: Decodable, Sendable {
    var value: Int?
    var note: String?

    static let allowedValues = 1...100_000
    static let backfillDays = 30

    /// 400 `validation_failed` for a bad value or note.
    func validate() throws(APIError) {
        var problems = [String: String]()
        if let value, !Self.allowedValues.contains(value) { problems["value"] = "must be an integer from 1 to 100000 (DELETE the check-in to undo it)" }
        if let note, note.count > 500 { problems["note"] = "must be at most 500 characters" }
        guard !problems.isEmpty else { return }
        throw APIError.invalidFields(problems)
    }

    /// 400 unless `date` is between `backfillDays` days ago and today (local).
    static func validate(date: LocalDate, today: LocalDate, timezone: String) throws(APIError) {
        if date > today {
            throw APIError(
                .badRequest, code: "date_in_future",
                message: "\(date) is in the future: it is \(today) in \(timezone). Check in on today or a past day.",
                details: ["today": .string(today.description)])
        }
        if date < today.adding(days: -backfillDays) {
            throw APIError(
                .badRequest, code: "date_too_old",
                message: "\(date) is more than \(backfillDays) days ago; check-ins can be backfilled to \(today.adding(days: -backfillDays)).",
                details: ["earliest": .string(today.adding(days: -backfillDays).description)])
        }
    }
}
