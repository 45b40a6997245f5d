/// The demo workspace `flotilla up` seeds for the task-management profiles: the ids the
/// projects seed creates and the tasks seed files tasks under. Both seeds read this one
/// list, so the two services' demo data agree without either calling the other.
public enum DemoWorkspace {
    /// The demo user (`flotilla up` prints how to get a token for it).
    public static let user = "demo-user"

    /// A person of the demo workspace: account id, handle, name and email.
    public struct Person: Sendable {
        public let user: String
        public let handle: String
        public let name: String
        public let email: String
        /// Everyone in the demo works in one zone.
        public var timeZone: String { "Europe/Berlin" }
    }

    /// The people the demo projects and organization are made of; the first is ``user``.
    public static let people: [Person] = [
        Person(user: user, handle: "demo", name: "Demo User", email: "demo@flotilla.local"),
        Person(user: "demo-alex", handle: "alex", name: "Alex Rivera", email: "alex@flotilla.local"),
        Person(user: "demo-sam", handle: "sam", name: "Sam Okafor", email: "sam@flotilla.local"),
        Person(user: "demo-kim", handle: "kim", name: "Kim Larsen", email: "kim@flotilla.local"),
    ]

    /// The demo organization: its slug and name, members as `(user, role)` and teams as
    /// `(slug, name, members)`.
    public static let organization = (
        slug: "acme", name: "Acme Studio",
        members: [(user: user, role: "owner"), (user: "demo-alex", role: "admin"), (user: "demo-sam", role: "member"), (user: "demo-kim", role: "guest")],
        teams: [(slug: "web", name: "Web", members: [user, "demo-alex", "demo-sam"]), (slug: "ops", name: "Operations", members: ["demo-alex", "demo-sam"])]
    )

    /// A demo project and who is in it.
    public struct Project: Sendable {
        public let index: Int
        public let key: String
        public let name: String
        public let description: String
        /// `(user, role)`; the first is the owner.
        public let members: [(user: String, role: String)]

        /// Fixed id, so seeding twice changes nothing.
        public var id: String { "00000000-0000-4000-a000-\(String(index + 1).leftPadded(to: 12))" }

        /// The id of workflow state `state` (an index into ``DemoWorkspace/states``).
        public func stateID(_ state: Int) -> String { "00000000-0000-4000-a\(index + 1)01-\(String(state + 1).leftPadded(to: 12))" }

        /// The id of label `label` (an index into ``DemoWorkspace/labels``).
        public func labelID(_ label: Int) -> String { "00000000-0000-4000-a\(index + 1)02-\(String(label + 1).leftPadded(to: 12))" }
    }

    public static let projects: [Project] = [
        Project(
            index: 0, key: "WEB", name: "Website relaunch", description: "The new marketing site and its CMS.",
            members: [(user, "owner"), ("demo-alex", "admin"), ("demo-sam", "member"), ("demo-kim", "viewer")]),
        Project(
            index: 1, key: "OPS", name: "Operations", description: "Infrastructure, on-call and the release train.",
            members: [("demo-alex", "owner"), (user, "member"), ("demo-sam", "member")]),
    ]

    /// The demo projects' workflow: `(name, group, colour)`; the second is the default.
    public static let states: [(name: String, group: String, color: String)] = [
        ("Backlog", "backlog", "#a3a3a3"), ("Todo", "unstarted", "#3b82f6"), ("In Progress", "started", "#f59e0b"),
        ("In Review", "started", "#8b5cf6"), ("Done", "completed", "#22c55e"), ("Cancelled", "cancelled", "#ef4444"),
    ]
    public static let defaultState = 1

    /// The demo projects' labels: `(name, colour)`.
    public static let labels: [(name: String, color: String)] = [
        ("bug", "#ef4444"), ("feature", "#3b82f6"), ("chore", "#a3a3a3"), ("design", "#ec4899"),
    ]
}
