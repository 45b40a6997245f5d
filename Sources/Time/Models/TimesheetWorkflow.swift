import FlotillaKit
import HTTPTypes

/// A timesheet's life, as pure rules: `draft` → `submitted` (by its owner) → `approved` or
/// `rejected` (by an approver who is not its owner); a rejected sheet is editable again and
/// can be submitted anew; an approved one is final. Entries of a submitted or approved week
/// are read-only.
enum TimesheetStatus: String, Codable, Sendable, CaseIterable {
    case draft, submitted, approved, rejected

    /// Whether the week's entries may change.
    var isEditable: Bool { self == .draft || self == .rejected }
}

enum TimesheetAction: String, Sendable, CaseIterable {
    case submit, approve, reject
}

enum TimesheetWorkflow {
    /// The status after `action` on a sheet in `status`, by its owner (`isOwner`) or an
    /// approver of its projects (`isApprover`); 403 for the wrong person, 409 for the wrong state.
    static func next(_ status: TimesheetStatus, _ action: TimesheetAction, isOwner: Bool, isApprover: Bool) throws(APIError) -> TimesheetStatus {
        switch action {
        case .submit:
            guard isOwner else { throw APIError.forbidden("Only its owner submits a timesheet.") }
            guard status.isEditable else { throw conflict("The timesheet is \(status.rawValue); only a draft or rejected one can be submitted.") }
            return .submitted
        case .approve, .reject:
            guard !isOwner else { throw APIError.forbidden("Nobody approves or rejects their own timesheet; an admin of its projects does.") }
            guard isApprover else { throw APIError.forbidden("Only admins of every project in the timesheet approve or reject it.") }
            guard status == .submitted else { throw conflict("The timesheet is \(status.rawValue); only a submitted one can be \(action == .approve ? "approved" : "rejected").") }
            return action == .approve ? .approved : .rejected
        }
    }

    static func conflict(_ message: String) -> APIError {
        APIError(.conflict, code: "timesheet_state", message: message)
    }

    /// 409 for a change to an entry of a locked week.
    static func locked(_ week: ISOWeek, _ status: TimesheetStatus) -> APIError {
        APIError(.conflict, code: "timesheet_locked", message: "The timesheet of \(week) is \(status.rawValue); its entries are read-only.")
    }
}
