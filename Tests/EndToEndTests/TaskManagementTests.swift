import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// The task-management profile through the real gateway in front of the real auth, projects,
/// tasks and notifications binaries, as its users meet it.
@Suite("end to end: task management", .serialized)
struct TaskManagementTests {
    static let routes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../helm/flotilla/files/gateway/task-management.json").standardized.path

    func json(_ reply: HTTPTestClient.Reply) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any] ?? [:]
    }

    /// Ada registers, creates a project, adds Bob, assigns him a task: Bob finds it in his inbox.
    @Test func createAProjectAddAMemberAssignThemATaskAndTheyFindItInTheirInbox() async throws {
        let fleet = ProfileServices(tag: "tm")
        let unique = fleet.unique
        let mail = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-tm-mail-\(unique)").path
        let auth = try fleet.auth()
        defer { auth.stop() }
        let projects = try fleet.service("projects", auth: auth)
        defer { projects.stop() }
        let tasks = try fleet.service("tasks", auth: auth, ["PROJECTS_SERVICE_URL": projects.baseURL])
        defer { tasks.stop() }
        let notifications = try fleet.service("notifications", auth: auth, ["NOTIFICATIONS_MAIL_DIR": mail, "NOTIFICATIONS_POLL_SECONDS": "0.1"])
        defer { notifications.stop() }
        for service in [auth, projects, tasks, notifications] { try await service.waitUntilAnswering("/ready") }
        let gateway = try ServiceProcess(executable: "gateway", environment: [
            "REDIS_URL": try TestRedis.url(), "GATEWAY_ROUTES": Self.routes, "LOG_LEVEL": "warning", "AUTH_SERVICE_URL": auth.baseURL,
            "PROJECTS_SERVICE_URL": projects.baseURL, "TASKS_SERVICE_URL": tasks.baseURL, "NOTIFICATIONS_SERVICE_URL": notifications.baseURL,
            "GATEWAY_REDIS_PREFIX": "e2e:\(unique):gateway:",
        ])
        defer { gateway.stop() }
        try await gateway.waitUntilAnswering("/ready")
        let base = gateway.baseURL + "/api/v1"
        let jsonHeader = [("Content-Type", "application/json")]

        func account(_ name: String) async throws -> (id: String, email: String, bearer: [(String, String)]) {
            try await fleet.account(name, base: base)
        }
        let ada = try await account("Ada")
        let bob = try await account("Bob")

        let project = try await HTTPTestClient.send("POST", base + "/projects", headers: ada.bearer + jsonHeader, body: #"{"key": "ENG", "name": "Engine", "template": "kanban"}"#)
        #expect(project.status == 201, "\(project.body)")
        let invited = try await HTTPTestClient.send("POST", base + "/projects/ENG/members", headers: ada.bearer + jsonHeader, body: #"{"user_id": "\#(bob.id)", "role": "member"}"#)
        #expect(invited.status == 201, "\(invited.body)")
        let task = try await HTTPTestClient.send(
            "POST", base + "/tasks", headers: ada.bearer + jsonHeader,
            body: #"{"project": "ENG", "title": "Tune the carburettor", "priority": "high", "assignees": ["\#(bob.id)"]}"#)
        #expect(task.status == 201, "\(task.body)")
        #expect(json(task)["key"] as? String == "ENG-1")

        // Bob: the task is his (through the gateway), and notifications told him, in-app and by email.
        try await waitUntil("Bob's inbox has the assignment") {
            try await HTTPTestClient.send("GET", base + "/notifications", headers: bob.bearer).body.contains("ENG-1 was assigned to you")
        }
        let inbox = json(try await HTTPTestClient.send("GET", base + "/notifications", headers: bob.bearer))
        let item = (inbox["data"] as? [[String: Any]])?.first { ($0["title"] as? String)?.contains("ENG-1") == true }
        #expect((item?["body"] as? String)?.contains("Ada assigned you “Tune the carburettor”") == true, "\(item ?? [:])")
        try await waitUntil("the assignment email is written") {
            ((try? FileManager.default.contentsOfDirectory(atPath: mail)) ?? []).contains { file in
                ((try? String(contentsOfFile: mail + "/" + file, encoding: .utf8)) ?? "").contains("Subject: [ENG-1] Tune the carburettor was assigned to you")
            }
        }
        let mine = json(try await HTTPTestClient.send("GET", base + "/tasks?assignee=me", headers: bob.bearer))
        #expect((mine["data"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["ENG-1"])
        // Bob completes it; Ada, who created it, hears so.
        let states = json(try await HTTPTestClient.send("GET", base + "/projects/ENG/states", headers: bob.bearer))["data"] as? [[String: Any]] ?? []
        let done = try #require(states.first { $0["state_group"] as? String == "completed" }?["id"] as? String)
        let completed = try await HTTPTestClient.send("PATCH", base + "/tasks/ENG-1", headers: bob.bearer + jsonHeader, body: #"{"state_id": "\#(done)"}"#)
        #expect(completed.status == 200, "\(completed.body)")
        try await waitUntil("Ada hears it is done") {
            try await HTTPTestClient.send("GET", base + "/notifications", headers: ada.bearer).body.contains("ENG-1 is done")
        }
        try await waitUntil("the project's stats count it") {
            (json(try await HTTPTestClient.send("GET", base + "/projects/ENG/stats", headers: ada.bearer))["by_state_group"] as? [String: Int])?["completed"] == 1
        }
        let outsider = try await account("Eve")
        #expect(try await HTTPTestClient.send("GET", base + "/tasks/ENG-1", headers: outsider.bearer).status == 404)
    }

    /// One `flotilla up --profile task-management`: the demo workspace is there, through the gateway.
    @Test func flotillaUpServesTheDemoWorkspace() async throws {
        let fleet = try await FleetUnderTest.start(profile: "task-management")
        defer { fleet.abandon() }
        let started = try fleet.startedProcesses()
        #expect(started.count == 7, "5 services (auth, notifications, projects, tasks, gateway), Redis and PostgreSQL: \(started)")
        let dev = try await HTTPTestClient.send(
            "POST", fleet.url(of: "auth") + "/auth/token", headers: [("Content-Type", "application/json")], body: #"{"userId": "demo-user", "email": "demo@example.com"}"#)
        let token = try #require(json(dev)["token"] as? String, "\(dev.body)")
        let bearer = [("Authorization", "Bearer \(token)")]
        let gateway = fleet.url(of: "gateway") + "/api/v1"
        let projects = json(try await HTTPTestClient.send("GET", gateway + "/projects", headers: bearer))["data"] as? [[String: Any]] ?? []
        #expect(projects.compactMap { $0["key"] as? String }.sorted() == ["OPS", "WEB"])
        let web = json(try await HTTPTestClient.send("GET", gateway + "/tasks?project=WEB&limit=5", headers: bearer))
        #expect(web["total"] as? Int == 30 && web["next_cursor"] is String, "\(web)")
        let personal = json(try await HTTPTestClient.send("GET", gateway + "/tasks?limit=200", headers: bearer))
        #expect(((personal["data"] as? [[String: Any]]) ?? []).filter { $0["project_id"] == nil }.count == 4, "the demo user's personal tasks")
        try await waitUntil("the stats count the demo tasks (from their events)") {
            json(try await HTTPTestClient.send("GET", gateway + "/projects/WEB/stats", headers: bearer))["total"] as? Int == 30
        }
        let (down, status) = try await fleet.down()
        #expect(down.status == 0 && status == 0)
    }
}
