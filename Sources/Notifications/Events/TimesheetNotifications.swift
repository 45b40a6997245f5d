import FlotillaKit

/// What notifications does with time's timesheet events: each approver hears that a week
/// waits for them (`timesheet.submitted`); its owner hears the decision, with the approver's
/// comment (`timesheet.approved|rejected`). People are named as auth told us, else "Someone".
struct TimesheetNotifications: Sendable {
    let notifier: Notifier

    func register(in handlers: inout EventHandlers) {
        handlers.on("timesheet.submitted") { event, session in
            let submitter = try event.text("user_id")
            guard case .array(let approvers) = event.data["approvers"] ?? .null else { throw MalformedEvent(type: event.type, field: "approvers") }
            let seconds = if case .int(let value)? = event.data["total_seconds"] { value } else { 0 }
            let values: [String: TemplateValue] = [
                "submitter": .text(try await session.displayName(of: submitter)), "week": .text(try event.text("week")), "hours": .text(Self.hours(seconds)),
            ]
            for case .string(let approver) in approvers {
                try await notifier.deliver(
                    .init(userID: approver, kind: .timesheetSubmitted, values: values,
                          data: ["user_id": .string(submitter), "week": .string(try event.text("week"))], idempotencyKey: "event:\(event.id):\(approver)"),
                    in: session)
            }
        }
        for type in ["timesheet.approved", "timesheet.rejected"] {
            handlers.on(type) { event, session in
                var values: [String: TemplateValue] = [
                    "week": .text(try event.text("week")), "decision": .text(type == "timesheet.approved" ? "approved" : "rejected"),
                    "actor": .text(try await session.displayName(of: try event.text("decided_by"))),
                ]
                if let comment = event.optionalText("comment") { values["comment"] = .text(comment) }
                try await notifier.deliver(
                    .init(userID: try event.text("user_id"), kind: .timesheetDecided, values: values,
                          data: ["week": .string(try event.text("week"))], idempotencyKey: "event:\(event.id)"),
                    in: session)
            }
        }
    }

    /// `27000` → `7.5`, `8820` → `2.45` (hours to two decimals, rounded half up).
    static func hours(_ seconds: Int) -> String {
        let (whole, hundredths) = ((seconds * 100 + 1800) / 3600).quotientAndRemainder(dividingBy: 100)
        guard hundredths != 0 else { return String(whole) }
        return "\(whole)." + (hundredths % 10 == 0 ? String(hundredths / 10) : (hundredths < 10 ? "0" : "") + String(hundredths))
    }
}
