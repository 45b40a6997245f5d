import FlotillaKit
import Foundation

/// The environment each service gets from `flotilla up`: its port, the databases, every
/// fleet member's URL, development-only auth settings, and the profile's route table.
struct FleetEnvironment: Sendable {
    let home: FleetHome
    let profile: FleetProfile
    let portOffset: Int
    let databaseURL: String
    let redisURL: String
    let json: Bool
    /// The repository (for `helm/flotilla/files/gateway/*.json`), when `flotilla` runs inside it.
    let repository: URL?
    /// A route table to use instead of the profile's (the benchmark's, with high limits).
    var gatewayRoutes: String?

    func port(of service: String) -> Int {
        (Fleet.member(service)?.localPort ?? 8080) + portOffset
    }

    /// Variables for `service`, on top of the caller's own environment (PATH, TZDIR, ...).
    func variables(for service: String) -> [String: String] {
        var variables = ProcessInfo.processInfo.environment
        for member in Fleet.members {
            variables[Upstream.urlVariable(for: member.name)] = "http://127.0.0.1:\(member.localPort + portOffset)"
        }
        variables.merge([
            "HOST": "127.0.0.1", "PORT": String(port(of: service)),
            "LOG_FORMAT": json ? "json" : "pretty", "LOG_LEVEL": variables["LOG_LEVEL"] ?? "info",
            "DATABASE_URL": databaseURL, "DB_SCHEMA": service, "REDIS_URL": redisURL,
            // Local development: no drain wait on Ctrl-C.
            "SHUTDOWN_DRAIN_SECONDS": "0",
        ]) { $1 }
        // Orders restocks with a client of its own, wired at both ends as the chart does.
        let restockSecret = home.secret(at: home.ordersClientSecret)
        switch service {
        case "auth":
            // A signing key is generated into .flotilla/keys once; dev tokens (POST /auth/token)
            // make the walk-through one curl long. Never set these in a cluster.
            variables.merge([
                "AUTH_DEV_MODE": "true", "AUTH_DEV_TOKENS": "true", "AUTH_SIGNING_KEYS_DIR": home.keys.path,
                "AUTH_PUBLIC_URL": "http://127.0.0.1:\(port(of: "auth"))",
            ]) { $1 }
            if let restockSecret {
                variables["AUTH_SERVICE_CLIENTS"] = #"{"orders": {"secret": "\#(restockSecret)", "scopes": ["catalog:inventory"]}}"#
            }
        case "orders":
            if let restockSecret { variables["ORDERS_CLIENT_SECRET"] = restockSecret }
        case "notifications":
            // No SMTP relay locally: emails become .eml files under .flotilla/mail.
            variables["NOTIFICATIONS_MAIL_DIR"] = home.mail.path
        case "files":
            variables["FILES_STORAGE_PATH"] = home.files.path
        case "gateway":
            if let gatewayRoutes {
                variables["GATEWAY_ROUTES"] = gatewayRoutes
            } else if let table = profile.routeTable, let repository {
                variables["GATEWAY_ROUTES"] = repository.appendingPathComponent(table).path
            }
        default:
            break
        }
        return variables
    }

    /// The repository root: the current directory or one above it with `Package.swift` and
    /// `helm/flotilla/files/gateway`.
    static func findRepository() -> URL? {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("helm/flotilla/files/gateway").path),
                FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
            {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}
