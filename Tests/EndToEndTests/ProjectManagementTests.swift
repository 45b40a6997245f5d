import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// The project-management profile through the real gateway (its default table) in front of
/// the real auth, users, projects, tasks, time, comments and notifications binaries, as its
/// users meet it.
@Suite("end to end: project management", .serialized)
struct ProjectManagementTests {
    func json(_ reply: HTTPTestClient.Reply) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any] ?? [:]
    }

    /// Ada registers and creates an organization, invites Bob by email; Bob registers and
    /// accepts. Ada makes a project with a task and Bob in it; Bob times his work on the task,
    /// submits his week, and Ada, the project's admin, approves it. Bob comments on the task
    /// mentioning Ada, who attached a file to it; she is notified, reacts and replies, and shares
    /// the file with a link anyone can download from.
    @Test func inviteAColleagueWhoLogsTimeOnATaskAndHasTheWeekApproved() async throws {
        let fleet = ProfileServices(tag: "pm")
        let unique = fleet.unique
        let auth = try fleet.auth()
        defer { auth.stop() }
        let users = try fleet.service("users", auth: auth)
        defer { users.stop() }
        let projects = try fleet.service("projects", auth: auth)
        defer { projects.stop() }
        let tasks = try fleet.service("tasks", auth: auth, ["PROJECTS_SERVICE_URL": projects.baseURL])
        defer { tasks.stop() }
        let time = try fleet.service("time", auth: auth, ["PROJECTS_SERVICE_URL": projects.baseURL, "TASKS_SERVICE_URL": tasks.baseURL])
        defer { time.stop() }
        let comments = try fleet.service(
            "comments", auth: auth, ["PROJECTS_SERVICE_URL": projects.baseURL, "TASKS_SERVICE_URL": tasks.baseURL, "USERS_SERVICE_URL": users.baseURL])
        defer { comments.stop() }
        let notifications = try fleet.service("notifications", auth: auth, ["NOTIFICATIONS_MAIL_DIR": NSTemporaryDirectory() + "e2e-pm-mail-\(unique)"])
        defer { notifications.stop() }
        let files = try fleet.service(
            "files", auth: auth, ["PROJECTS_SERVICE_URL": projects.baseURL, "TASKS_SERVICE_URL": tasks.baseURL, "FILES_STORAGE_PATH": NSTemporaryDirectory() + "e2e-pm-files-\(unique)"])
        defer { files.stop() }
        for service in [auth, users, projects, tasks, time, comments, notifications, files] { try await service.waitUntilAnswering("/ready") }
        let gateway = try ServiceProcess(executable: "gateway", environment: [
            "REDIS_URL": try TestRedis.url(), "LOG_LEVEL": "warning", "AUTH_SERVICE_URL": auth.baseURL, "USERS_SERVICE_URL": users.baseURL,
            "PROJECTS_SERVICE_URL": projects.baseURL, "TASKS_SERVICE_URL": tasks.baseURL, "TIME_SERVICE_URL": time.baseURL,
            "COMMENTS_SERVICE_URL": comments.baseURL, "NOTIFICATIONS_SERVICE_URL": notifications.baseURL, "FILES_SERVICE_URL": files.baseURL,
            "GATEWAY_REDIS_PREFIX": "e2e:\(unique):gateway:",
        ])
        defer { gateway.stop() }
        try await gateway.waitUntilAnswering("/ready")
        let base = gateway.baseURL + "/api/v1"
        let jsonHeader = [("Content-Type", "application/json")]

        func account(_ name: String) async throws -> (id: String, email: String, bearer: [(String, String)]) {
            let account = try await fleet.account(name, base: base)
            // The profile is made from auth's user.registered event.
            try await waitUntil("\(name)'s profile exists") { try await HTTPTestClient.send("GET", base + "/users/me", headers: account.bearer).status == 200 }
            return account
        }
        let ada = try await account("Ada")
        let me = json(try await HTTPTestClient.send("GET", base + "/users/me", headers: ada.bearer))
        #expect(me["display_name"] as? String == "Ada" && me["handle"] as? String == "ada-\(unique)", "\(me)")

        let organization = try await HTTPTestClient.send("POST", base + "/organizations", headers: ada.bearer + jsonHeader, body: #"{"slug": "acme-\#(unique)", "name": "Acme"}"#)
        #expect(organization.status == 201, "\(organization.body)")
        let invitation = try await HTTPTestClient.send(
            "POST", base + "/organizations/acme-\(unique)/invitations", headers: ada.bearer + jsonHeader, body: #"{"email": "bob-\#(unique)@example.com"}"#)
        #expect(invitation.status == 201, "\(invitation.body)")
        let token = try #require(json(invitation)["token"] as? String)

        let bob = try await account("Bob")
        let accepted = try await HTTPTestClient.send("POST", base + "/invitations/accept", headers: bob.bearer + jsonHeader, body: #"{"token": "\#(token)"}"#)
        #expect(accepted.status == 200 && json(accepted)["role"] as? String == "member", "\(accepted.body)")
        let members = json(try await HTTPTestClient.send("GET", base + "/organizations/acme-\(unique)/members", headers: ada.bearer))["data"] as? [[String: Any]] ?? []
        #expect(members.compactMap { $0["user_id"] as? String } == [ada.id, bob.id])
        let again = try await HTTPTestClient.send("POST", base + "/invitations/accept", headers: bob.bearer + jsonHeader, body: #"{"token": "\#(token)"}"#)
        #expect(again.status == 410, "\(again.body)")
        let resolved = json(try await HTTPTestClient.send("GET", base + "/users/resolve?handles=bob-\(unique),nobody", headers: ada.bearer))
        #expect((resolved["data"] as? [[String: Any]])?.first?["user_id"] as? String == bob.id && resolved["unknown"] as? [String] == ["nobody"])

        // A project with a task, Bob a member; Bob times his work on the task and submits the week.
        func post(_ path: String, _ body: String, as who: [(String, String)]) async throws -> [String: Any] {
            let reply = try await HTTPTestClient.send("POST", base + path, headers: who + jsonHeader, body: body)
            #expect((200..<300).contains(reply.status), "POST \(path): \(reply.body)")
            return json(reply)
        }
        _ = try await post("/projects", #"{"key": "ENG", "name": "Engine", "template": "kanban"}"#, as: ada.bearer)
        _ = try await post("/projects/ENG/members", #"{"user_id": "\#(bob.id)", "role": "member"}"#, as: ada.bearer)
        let task = try await post("/tasks", #"{"project": "ENG", "title": "Tune the carburettor"}"#, as: ada.bearer)
        let timer = try await post("/timers", #"{"project": "ENG", "task": "\#(task["key"] as? String ?? "")", "description": "Tuning"}"#, as: bob.bearer)
        let week = try #require((timer["timer"] as? [String: Any])?["week"] as? String, "\(timer)")
        let stopped = try await post("/timers/stop", "{}", as: bob.bearer)
        #expect(stopped["task"] as? String == "ENG-1" && (stopped["duration_seconds"] as? Int ?? 0) >= 60, "\(stopped)")
        let submitted = try await post("/timesheets/\(week)/submit", "{}", as: bob.bearer)
        #expect(submitted["status"] as? String == "submitted" && submitted["approvers"] as? [String] == [ada.id], "\(submitted)")
        let pending = json(try await HTTPTestClient.send("GET", base + "/timesheets/pending", headers: ada.bearer))["data"] as? [[String: Any]] ?? []
        #expect(pending.compactMap { $0["user_id"] as? String } == [bob.id])
        let approved = try await post("/timesheets/\(week)/approve", #"{"user_id": "\#(bob.id)"}"#, as: ada.bearer)
        #expect(approved["status"] as? String == "approved" && approved["decided_by"] as? String == ada.id, "\(approved)")
        // Bob's zone is UTC (he never set one): his day is the entry's UTC date.
        let day = String((stopped["started_at"] as? String ?? "").prefix(10))
        let report = json(try await HTTPTestClient.send("GET", base + "/time-reports?from=\(day)&to=\(day)&group_by=task", headers: bob.bearer))
        let rows = report["rows"] as? [[String: Any]] ?? []
        #expect(rows.map { $0["group"] as? String } == ["ENG-1"] && rows.first?["seconds"] as? Int == stopped["duration_seconds"] as? Int, "\(report)")

        // Ada attaches a file to the task; Bob comments mentioning her; she is told, reacts, and
        // shares the file with a link anyone can download from.
        let attachment = Array("Idle: 850 rpm\nMixture: 2.5 turns\n".utf8)
        let uploaded = try await HTTPTestClient.send(
            "POST", base + "/files?entity=task:ENG-1&name=carburettor-settings.txt", headers: ada.bearer + [("Content-Type", "text/plain")],
            body: String(decoding: attachment, as: UTF8.self))
        #expect(uploaded.status == 201, "\(uploaded.body)")
        let fileID = try #require(json(uploaded)["id"] as? String)
        let listed = json(try await HTTPTestClient.send("GET", base + "/files?entity=task:ENG-1", headers: bob.bearer))["data"] as? [[String: Any]] ?? []
        #expect(listed.compactMap { $0["name"] as? String } == ["carburettor-settings.txt"])
        let comment = try await post("/comments", #"{"entity": "task:ENG-1", "body": "Tuned. @ada-\#(unique), can you check the idle?"}"#, as: bob.bearer)
        #expect(comment["mentions"] as? [String] == [ada.id], "\(comment)")
        try await waitUntil("Ada is told she was mentioned") {
            let inbox = json(try await HTTPTestClient.send("GET", base + "/notifications?category=mentions", headers: ada.bearer))["data"] as? [[String: Any]] ?? []
            return inbox.first?["title"] as? String == "Bob mentioned you on ENG-1"
        }
        let reacted = try await HTTPTestClient.send("PUT", base + "/comments/\(comment["id"] as? String ?? "")/reactions/+1", headers: ada.bearer)
        #expect(reacted.status == 201, "\(reacted.body)")
        let reply = try await post("/comments", #"{"entity": "task:ENG-1", "body": "Idle is fine.", "reply_to": "\#(comment["id"] as? String ?? "")"}"#, as: ada.bearer)
        #expect(reply["thread_id"] as? String == comment["id"] as? String)
        let counts = json(try await HTTPTestClient.send("GET", base + "/comment-counts?entities=task:ENG-1", headers: bob.bearer))
        #expect(counts["data"] as? [String: Int] == ["task:ENG-1": 2], "\(counts)")
        let link = try await post("/files/\(fileID)/links", #"{"max_downloads": 5}"#, as: ada.bearer)
        let path = try #require(link["path"] as? String, "\(link)")
        let shared = try await HTTPTestClient.send("GET", base + path)
        #expect(shared.status == 200 && shared.body == String(decoding: attachment, as: UTF8.self), "\(shared.status) \(shared.body)")
    }
}
