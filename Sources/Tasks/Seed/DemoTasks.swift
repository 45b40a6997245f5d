import FlotillaKit
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The demo workspace's tasks (``DemoWorkspace``): about thirty per project across every
/// state group, with assignees, labels, sub-tasks, dependencies and a recurring task, plus
/// personal tasks of the demo user. Loaded by `tasks seed` through the same writer as the
/// API (so events reach projects' stats); marked `external_source` `demo`, so running it
/// again changes nothing.
enum DemoTasks {
    static let titles = [
        "Write the landing page copy", "Choose the CMS", "Design the navigation", "Set up the staging site", "Migrate the blog posts",
        "Add the pricing table", "Fix the footer links on mobile", "Optimise the hero images", "Set up analytics", "Review the accessibility audit",
        "Draft the launch announcement", "Add the cookie banner", "Translate the home page", "Write the 404 page", "Load-test the contact form",
        "Configure the CDN", "Rotate the TLS certificates", "Upgrade PostgreSQL", "Document the on-call rota", "Automate the backups",
        "Tune the alert thresholds", "Clean up unused DNS records", "Patch the base images", "Review the cloud bill", "Write the incident template",
        "Plan the disaster-recovery drill", "Add a status page", "Archive the old logs", "Set up the release calendar", "Rehearse the rollback",
    ]

    @Sendable static func seed(_ pool: PostgresPool, _ logger: Logger) async throws -> String {
        let present = try await pool.query("SELECT count(*)::int AS n FROM tasks WHERE external_source = 'demo'").rows[0].decode("n", as: Int.self)
        if present > 0 { return "demo tasks already present (\(present))" }
        let writer = TaskWriter(store: TaskStore(pool: pool), clock: Date.init)
        let today = ZoneInfo.utc.localDate(at: Int64(Date().timeIntervalSince1970))
        var created = 0
        try await pool.withTransaction { session in
            for project in DemoWorkspace.projects {
                let document = Self.document(project)
                var random = SeededRandom(seed: UInt64(project.index + 7))
                var made: [TaskItem] = []
                for (index, title) in titles.enumerated() {
                    let state = document.states[index % document.states.count]
                    var changes = TaskChanges()
                    changes.title = .set(title)
                    changes.description = .set("Part of **\(project.name)**. See the checklist in the linked document.")
                    changes.stateID = .set(state.id)
                    changes.priority = .set(Priority.allCases[Int(random.next() % 5)])
                    let members = project.members.filter { $0.role != "viewer" }.map(\.user)
                    changes.assignees = .set(random.nextUnit() < 0.8 ? [members[Int(random.next() % UInt64(members.count))]] : [])
                    changes.labelIDs = .set([project.labelID(Int(random.next() % UInt64(DemoWorkspace.labels.count)))])
                    changes.dueOn = random.nextUnit() < 0.7 ? .set(today.adding(days: Int(random.next() % 40) - 10)) : .absent
                    if index % 10 == 9, let parent = made.last { changes.parent = .set(parent.id) }
                    if index == 3 { changes.repeatRule = .set(Recurrence(frequency: .weekly, interval: 1, from: .dueDate)) }
                    let origin = TaskChanges.Origin(externalSource: "demo", externalID: "\(project.key)-\(index + 1)")
                    made.append(try await writer.create(changes, origin: origin, owner: project.members[0].user, document: document, in: session))
                }
                // A chain of dependencies among the open tasks: each blocks the next.
                let open = made.filter { $0.stateGroup != .completed && $0.stateGroup != .cancelled }.prefix(4)
                for (blocker, blocked) in zip(open, open.dropFirst()) {
                    try await session.query("INSERT INTO task_dependencies (blocker_id, blocked_id) VALUES ($1, $2)", [blocker.id, blocked.id])
                }
                created += made.count
            }
            for (index, title) in ["Renew the passport", "Book the dentist", "Read the Postgres release notes", "Plan the weekend hike"].enumerated() {
                var changes = TaskChanges()
                changes.title = .set(title)
                changes.stateGroup = .set(index == 2 ? .started : .unstarted)
                changes.dueOn = .set(today.adding(days: index * 3 + 1))
                changes.priority = .set(index == 0 ? .high : .medium)
                let origin = TaskChanges.Origin(externalSource: "demo", externalID: "personal-\(index + 1)")
                _ = try await writer.create(changes, origin: origin, owner: DemoWorkspace.user, document: nil, in: session)
                created += 1
            }
        }
        let message = "seeded \(created) demo tasks in \(DemoWorkspace.projects.map(\.key).joined(separator: ", ")) and personal tasks of \(DemoWorkspace.user)"
        logger.info("\(message)")
        return message
    }

    /// The access document the projects seed implies for a demo project.
    static func document(_ project: DemoWorkspace.Project) -> ProjectAccessDocument {
        ProjectAccessDocument(
            project: .init(id: project.id, key: project.key, name: project.name, archived: false), role: .owner,
            states: DemoWorkspace.states.enumerated().map {
                .init(id: project.stateID($0.offset), name: $0.element.name, group: StateGroup(rawValue: $0.element.group)!,
                      isDefault: $0.offset == DemoWorkspace.defaultState)
            },
            labels: DemoWorkspace.labels.enumerated().map { .init(id: project.labelID($0.offset), name: $0.element.name) },
            members: project.members.map { .init(userID: $0.user, role: ProjectRole(rawValue: $0.role)!) })
    }
}
