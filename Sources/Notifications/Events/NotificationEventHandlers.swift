import FlotillaKit
import Foundation

/// What notifications does with other services' events (each handler runs in the consumer's
/// transaction; the delivery key is the event id, so a replay never notifies twice):
/// - auth `user.registered`: remember the address, welcome in-app and by email;
///   `user.locked`: security email and item; `user.deleted`: forget the user;
/// - orders `order.placed`: confirmation with the exact total and lines;
/// - habits `habit.streak_extended` at 7, 30 and 100: an achievement; the habit events keep
///   the habit's reminder (`source` `habit:<id>`) in step with its `reminder_time`;
/// - tasks `task.assigned`: tell the assignee (not when they assigned themselves);
///   `task.completed`: tell the creator of a project task someone else completed;
/// - time's timesheets (``TimesheetNotifications``);
/// - projects `project.member_removed` of someone deactivated: tell the project's admins;
/// - comments `comment.mentioned`: tell each person mentioned, once, never the author.
struct NotificationEventHandlers: Sendable {
    let notifier: Notifier
    let reminders: ReminderRepository

    static let sources = ["auth", "orders", "habits", "tasks", "time", "projects", "comments"]

    var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.on("user.registered") { event, session in
            let user = try event.text("user_id")
            try await session.saveRecipient(userID: user, email: event.optionalText("email"), name: event.optionalText("name"))
            try await notifier.deliver(.init(userID: user, kind: .welcome, values: [:], idempotencyKey: "event:\(event.id)"), in: session)
        }
        handlers.on("user.locked") { event, session in
            let user = try event.text("user_id")
            try await session.saveRecipient(userID: user, email: event.optionalText("email"), name: nil)
            let seconds = event.data["locked_seconds"].flatMap { if case .int(let value) = $0 { value } else { nil } } ?? 0
            try await notifier.deliver(
                .init(userID: user, kind: .accountLocked,
                      values: ["locked_minutes": .text(String(max(1, (seconds + 59) / 60))), "client_ip": .text(event.optionalText("client_ip") ?? "an unknown address")],
                      idempotencyKey: "event:\(event.id)"),
                in: session)
        }
        handlers.on("user.deleted") { event, session in
            try await session.forgetUser(try event.text("user_id"))
        }
        handlers.on("order.placed") { event, session in
            var items = [[String: String]]()
            if case .array(let lines) = event.data["items"] ?? .null {
                for case .object(let line) in lines {
                    items.append(line.compactMapValues { value in
                        switch value {
                        case .string(let text): text
                        case .int(let number): String(number)
                        default: nil
                        }
                    })
                }
            }
            let order = try event.text("order_id")
            try await notifier.deliver(
                .init(userID: try event.text("user_id"), kind: .orderConfirmation,
                      values: ["order_id": .text(order), "total": .text(try event.text("total")), "items": .rows(items)],
                      data: ["order_id": .string(order)], idempotencyKey: "event:\(event.id)"),
                in: session)
        }
        handlers.on("habit.streak_extended") { event, session in
            guard case .int(let streak) = event.data["streak"] ?? .null, StreakMilestones.isMilestone(streak) else { return }
            try await notifier.deliver(
                .init(userID: try event.text("user_id"), kind: .achievement,
                      values: ["habit_name": .text(event.optionalText("name") ?? "your habit"), "streak": .text(String(streak)),
                               "unit": .text(event.optionalText("unit") ?? "days")],
                      data: ["habit_id": .string(try event.text("habit_id")), "streak": .int(streak)], idempotencyKey: "event:\(event.id)"),
                in: session)
        }
        handlers.on("task.assigned") { event, session in
            let assignee = try event.text("assignee_id")
            guard assignee != event.actor else { return }
            var values = try await taskValues(event, in: session)
            if let due = event.optionalText("due_on") { values["due_on"] = .text(due) }
            try await notifier.deliver(
                .init(userID: assignee, kind: .taskAssigned, values: values, data: taskData(event), idempotencyKey: "event:\(event.id)"),
                in: session)
        }
        handlers.on("task.completed") { event, session in
            let creator = try event.text("owner_id")
            guard creator != event.actor, event.optionalText("project_id") != nil else { return }
            try await notifier.deliver(
                .init(userID: creator, kind: .taskCompleted, values: try await taskValues(event, in: session), data: taskData(event),
                      idempotencyKey: "event:\(event.id)"),
                in: session)
        }
        TimesheetNotifications(notifier: notifier).register(in: &handlers)
        handlers.on("project.member_removed") { event, session in
            guard event.optionalText("reason") == "deactivated", case .array(let admins)? = event.data["admins"] else { return }
            let person = try event.text("user_id")
            let name = try await session.displayName(of: person)
            let key = try event.text("key")
            for case .string(let admin) in admins where admin != person {
                try await notifier.deliver(
                    .init(userID: admin, kind: .memberDeactivated, values: ["person": .text(name), "project_key": .text(key)],
                          data: ["user_id": .string(person), "project_key": .string(key)], idempotencyKey: "event:\(event.id):\(admin)"),
                    in: session)
            }
        }
        handlers.on("comment.mentioned") { event, session in
            guard case .array(let mentioned)? = event.data["user_ids"] else { throw MalformedEvent(type: event.type, field: "user_ids") }
            let author = try event.text("author_id")
            let entity = try event.text("entity")
            let values: [String: TemplateValue] = [
                "actor": .text(try await session.displayName(of: author)), "entity": .text(entity.split(separator: ":", maxSplits: 1).last.map(String.init) ?? entity),
                "excerpt": .text(event.optionalText("excerpt") ?? ""),
            ]
            let users = Set(mentioned.compactMap { if case .string(let id) = $0 { id } else { nil } })
            for user in users.sorted() where user != author {
                try await notifier.deliver(
                    .init(userID: user, kind: .mentioned, values: values,
                          data: ["comment_id": event.data["comment_id"] ?? .null, "entity": .string(entity)], idempotencyKey: "event:\(event.id):\(user)"),
                    in: session)
            }
        }
        for type in ["habit.created", "habit.updated", "habit.archived", "habit.unarchived", "habit.deleted"] {
            handlers.on(type) { event, session in try await keepHabitReminder(event, in: session) }
        }
        return handlers
    }

    /// A task event's template values: its key, its title, and who acted (by the name auth
    /// told us, else "Someone": user ids mean nothing to people).
    private func taskValues(_ event: EventEnvelope, in session: PostgresSession) async throws -> [String: TemplateValue] {
        let actorName = if let actor = event.actor { try await session.displayName(of: actor) } else { "Someone" }
        return ["task_key": .text(event.optionalText("key") ?? "A task"), "task_title": .text(try event.text("title")), "actor": .text(actorName)]
    }

    private func taskData(_ event: EventEnvelope) -> [String: JSONValue] {
        ["task_id": event.data["task_id"] ?? .null, "task_key": event.data["key"] ?? .null, "project_key": event.data["project_key"] ?? .null]
    }

    /// A habit with a reminder time, active and not deleted, has one reminder; otherwise none.
    private func keepHabitReminder(_ event: EventEnvelope, in session: PostgresSession) async throws {
        let user = try event.text("user_id")
        let source = "habit:\(try event.text("habit_id"))"
        let archived = event.data["archived"] == .bool(true)
        guard event.type != "habit.deleted", !archived, let time = event.optionalText("reminder_time").flatMap(ClockTime.init) else {
            return try await session.deleteReminder(source: source, of: user)
        }
        var days = [Weekday]()
        if case .object(let schedule) = event.data["schedule"] ?? .null, schedule["type"] == "weekdays", case .array(let names) = schedule["days"] ?? .null {
            days = names.compactMap { if case .string(let name) = $0 { Weekday(shortName: name) } else { nil } }.sorted()
        }
        try await reminders.save(
            .init(title: event.optionalText("name") ?? "Habit", time: time, days: days, timeZone: event.optionalText("timezone") ?? "UTC"),
            for: user, source: source, in: session)
    }
}
