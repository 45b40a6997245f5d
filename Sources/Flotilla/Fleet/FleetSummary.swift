import FlotillaKit
import Foundation

/// What `flotilla up` prints once everything is ready: a table of the services and a
/// walk-through to paste.
struct FleetSummary {
    let profile: FleetProfile
    let services: [SupervisedService]
    let environment: FleetEnvironment
    let elapsed: String

    var text: String {
        let width = max(9, services.map(\.name.count).max() ?? 0)
        var lines = ["", "Flotilla (\(profile.rawValue)) is up in \(elapsed):", ""]
        lines.append("  " + "service".padding(toLength: width, withPad: " ", startingAt: 0) + "  url                      state")
        for service in services {
            lines.append("  " + service.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + service.url.padding(toLength: 24, withPad: " ", startingAt: 0) + " ready")
        }
        let gateway = "http://127.0.0.1:\(environment.port(of: "gateway"))"
        // The dev token route is public through the chronos gateway table; elsewhere ask auth.
        let tokenURL = profile == .chronos ? gateway : "http://127.0.0.1:\(environment.port(of: "auth"))"
        lines += ["", "Try it (through the gateway):", ""]
        lines.append(#"  TOKEN=$(curl -s -X POST \#(tokenURL)/auth/token -H 'Content-Type: application/json' -d '{"userId": "demo-user", "email": "demo@example.com"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')"#)
        if profile.services.contains("users") {
            lines.append(#"  curl -s \#(gateway)/api/v1/organizations/acme/members -H "Authorization: Bearer $TOKEN""#)
        }
        if profile.services.contains("time") {
            // The demo's four weeks of time, by project.
            let today = LocalDate(daysSinceEpoch: Int(Date().timeIntervalSince1970) / 86_400)
            let range = "from=\(today.adding(days: -35))&to=\(today)"
            lines.append(#"  curl -s '\#(gateway)/api/v1/time-reports?\#(range)&group_by=project' -H "Authorization: Bearer $TOKEN""#)
        }
        if profile.services.contains("comments") {
            lines.append(#"  curl -s '\#(gateway)/api/v1/comments?entity=task:WEB-1' -H "Authorization: Bearer $TOKEN""#)
        }
        if profile.services.contains("catalog") {
            lines.append(#"  curl -s '\#(gateway)/api/v1/products?limit=3' -H "Authorization: Bearer $TOKEN""#)
        }
        if profile.services.contains("habits") {
            lines.append(#"  curl -s \#(gateway)/api/v1/habits/today -H "Authorization: Bearer $TOKEN""#)
        }
        if profile.services.contains("tasks") {
            lines.append(#"  curl -s '\#(gateway)/api/v1/tasks?project=WEB&state_group=started&sort=priority' -H "Authorization: Bearer $TOKEN""#)
            lines.append(#"  curl -s \#(gateway)/api/v1/projects/WEB/stats -H "Authorization: Bearer $TOKEN""#)
        }
        if profile.services.contains("notifications") {
            lines.append(#"  curl -s \#(gateway)/api/v1/notifications -H "Authorization: Bearer $TOKEN""#)
        }
        if profile.services.contains("notifications") {
            lines += ["", "Emails are not sent locally: they are written as .eml files to \(environment.home.mail.path)."]
        }
        lines += [
            "", "API docs: \(gateway)/api/docs    status: flotilla status    stop: Ctrl-C or flotilla down",
            "Logs follow (\(environment.json ? "JSON" : "readable; --json for JSON lines")); each service's log is also in \(environment.home.logs.path).", "",
        ]
        return lines.joined(separator: "\n")
    }
}
