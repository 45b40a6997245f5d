import FlotillaKit

/// A weighted mix of requests (e.g. the watch store: 60% browse, 25% product detail, 10%
/// customer detail, 5% checkout), picked at random with a fixed seed so runs compare.
public struct Scenario: Sendable {
    public struct Step: Sendable {
        public let name: String
        public let weight: Int
        let method: String
        /// Paths to rotate through (filters, ids).
        let paths: [String]
        /// Bodies to rotate through (empty: none).
        let bodies: [String]
        /// Sends a fresh `Idempotency-Key` (a checkout).
        var idempotent = false
    }

    public let name: String
    public let steps: [Step]

    /// Built-in scenarios by name.
    public static let builtIn: [String: Scenario] = [
        "watch-store": Scenario(name: "watch-store", steps: [
            Step(name: "browse", weight: 60, method: "GET", paths: [
                "/api/v1/products?limit=10", "/api/v1/products?brand=Rolex&limit=10", "/api/v1/products?category=sport&sort=-price&limit=10",
                "/api/v1/products?minPrice=1000&maxPrice=9000&limit=10", "/api/v1/products?limit=10&offset=10",
            ], bodies: []),
            Step(name: "product", weight: 25, method: "GET", paths: (1...53).map { "/api/v1/products/prod_\(String($0).leftPadded(to: 3))" }, bodies: []),
            Step(name: "customer", weight: 10, method: "GET", paths: (1...20).map { "/api/v1/customers/cust_\(String($0).leftPadded(to: 3))" }, bodies: []),
            // The demo products with the most stock, one watch each, for every demo customer.
            Step(name: "checkout", weight: 5, method: "POST", paths: ["/api/v1/orders"],
                 bodies: ["prod_036", "prod_013", "prod_049", "prod_026", "prod_003"].enumerated().map { index, product in
                     #"{"customerId": "cust_\#(String(index + 1).leftPadded(to: 3))", "items": [{"productId": "\#(product)", "quantity": 1}], "paymentMethod": "card", "shippingAddress": {"city": "Geneva"}}"#
                 },
                 idempotent: true),
        ]),
        "habits": Scenario(name: "habits", steps: [
            Step(name: "today", weight: 40, method: "GET", paths: ["/api/v1/habits/today"], bodies: []),
            Step(name: "list", weight: 30, method: "GET", paths: ["/api/v1/habits?limit=20"], bodies: []),
            Step(name: "stats", weight: 25, method: "GET", paths: (1...12).map { "/api/v1/habits/00000000-0000-4000-8000-\(String($0).leftPadded(to: 12))/stats" }, bodies: []),
            Step(name: "summary", weight: 5, method: "GET", paths: ["/api/v1/habits/summary"], bodies: []),
        ]),
        // The demo workspace (`projects seed`, `tasks seed`): the demo user owns WEB.
        "tasks": Scenario(name: "tasks", steps: [
            Step(name: "board", weight: 30, method: "GET", paths: [
                "/api/v1/tasks?project=WEB&limit=50", "/api/v1/tasks?project=WEB&state_group=started&sort=priority",
                "/api/v1/tasks?project=WEB&assignee=me", "/api/v1/tasks?project=OPS&sort=due_date&limit=20",
            ], bodies: []),
            Step(name: "task", weight: 25, method: "GET", paths: (1...30).map { "/api/v1/tasks/WEB-\($0)" }, bodies: []),
            Step(name: "search", weight: 10, method: "GET", paths: ["/api/v1/tasks?project=WEB&q=page", "/api/v1/tasks?project=OPS&q=backup"], bodies: []),
            Step(name: "mine", weight: 10, method: "GET", paths: ["/api/v1/tasks"], bodies: []),
            Step(name: "stats", weight: 10, method: "GET", paths: ["/api/v1/projects/WEB/stats", "/api/v1/projects/OPS/stats"], bodies: []),
            Step(name: "create", weight: 10, method: "POST", paths: ["/api/v1/tasks"],
                 bodies: [#"{"project": "WEB", "title": "Load-test task", "priority": "low"}"#]),
            Step(name: "update", weight: 5, method: "PATCH", paths: (1...30).map { "/api/v1/tasks/WEB-\($0)" },
                 bodies: [#"{"priority": "high"}"#, #"{"priority": "medium"}"#]),
        ]),
        // The demo workspace (`users seed`, `time seed`, …): the demo user owns acme and WEB.
        "project-management": Scenario(name: "project-management", steps: [
            Step(name: "people", weight: 20, method: "GET", paths: [
                "/api/v1/users/me", "/api/v1/organizations/acme/members", "/api/v1/users/resolve?handles=alex,sam,kim", "/api/v1/organizations/acme/teams",
            ], bodies: []),
            Step(name: "board", weight: 25, method: "GET", paths: ["/api/v1/tasks?project=WEB&limit=50", "/api/v1/tasks?project=WEB&assignee=me"], bodies: []),
            Step(name: "entries", weight: 20, method: "GET", paths: ["/api/v1/time-entries?limit=20", "/api/v1/timers", "/api/v1/timesheets/pending"], bodies: []),
            Step(name: "report", weight: 15, method: "GET", paths: TimeRange.reportPaths, bodies: []),
            Step(name: "timer", weight: 10, method: "POST", paths: ["/api/v1/timers"], bodies: [#"{"project": "WEB", "description": "Load-test timer"}"#]),
            Step(name: "task", weight: 10, method: "GET", paths: (1...30).map { "/api/v1/tasks/WEB-\($0)" }, bodies: []),
            Step(name: "comments", weight: 10, method: "GET", paths: [
                "/api/v1/comments?entity=task:WEB-1", "/api/v1/comments?entity=task:WEB-2",
                "/api/v1/comment-counts?entities=" + (1...30).map { "task:WEB-\($0)" }.joined(separator: ","),
            ], bodies: []),
            Step(name: "comment", weight: 5, method: "POST", paths: ["/api/v1/comments"], bodies: [
                #"{"entity": "task:WEB-3", "body": "Load-test comment on **WEB-3**"}"#, #"{"entity": "task:WEB-4", "body": "Another load-test comment"}"#,
            ]),
        ]),
        "live": Scenario(name: "live", steps: [Step(name: "live", weight: 1, method: "GET", paths: ["/live"], bodies: [])]),
    ]

    /// `GET path` and nothing else (a benchmark's one route at a fixed rate).
    public static func single(name: String, path: String) -> Scenario {
        Scenario(name: name, steps: [Step(name: name, weight: 1, method: "GET", paths: [path], bodies: [])])
    }

    /// Step indices in proportion to their weights, from a seeded generator.
    public struct Picker: Sendable {
        private let cumulative: [Int]
        private var random: SeededRandom

        public init(_ scenario: Scenario, seed: UInt64 = 42) {
            var total = 0
            cumulative = scenario.steps.map { step in
                total += step.weight
                return total
            }
            random = SeededRandom(seed: seed)
        }

        public mutating func next() -> Int {
            let roll = Int(random.next() % UInt64(cumulative.last ?? 1))
            return cumulative.firstIndex { roll < $0 } ?? 0
        }
    }
}

/// The report paths of the project-management mix: the last five weeks, by project and by day.
enum TimeRange {
    static var reportPaths: [String] {
        let today = LocalDate(String(RFC3339.now().prefix(10)))!
        let range = "from=\(today.adding(days: -35))&to=\(today)"
        return ["/api/v1/time-reports?\(range)&group_by=project", "/api/v1/time-reports?\(range)&group_by=day"]
    }
}
