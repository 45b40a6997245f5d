import ArgumentParser
import FlotillaKit

/// A profile: the services one of the five seeds needs (ARCHITECTURE.md §1), in start order.
/// Only services this package already builds are started; a new service joins its profiles
/// by being added to ``built``.
enum FleetProfile: String, CaseIterable, ExpressibleByArgument, Sendable {
    case all
    case habitTracker = "habit-tracker"
    case taskManagement = "task-management"
    case projectManagement = "project-management"
    case deepiri
    case chronos

    /// Services with an executable in this package, in start order: auth first (others
    /// fetch its keys), the gateway last (it fronts the rest).
    static let built = ["auth", "users", "notifications", "projects", "tasks", "time", "comments", "files", "habits", "catalog", "orders", "customers", "gateway"]

    /// Services with a `seed` subcommand (demo data).
    static let seeded: Set<String> = ["habits", "catalog", "orders", "customers", "notifications", "projects", "tasks", "users", "time", "comments", "files"]

    /// Every service the profile's seed describes, built or not.
    var planned: Set<String> {
        switch self {
        case .all: Set(Fleet.members.map(\.name))
        case .habitTracker: ["gateway", "auth", "habits", "analytics", "notifications"]
        case .taskManagement: ["gateway", "auth", "tasks", "projects", "notifications"]
        case .projectManagement: ["gateway", "auth", "users", "tasks", "projects", "time", "comments", "files", "notifications", "analytics"]
        case .deepiri:
            ["gateway", "auth", "users", "tasks", "notifications", "analytics", "gamification", "challenges", "integrations", "realtime"]
        case .chronos: ["gateway", "auth", "catalog", "customers", "orders", "notifications"]
        }
    }

    /// The services `flotilla up` starts, in order.
    var services: [String] {
        Self.built.filter(planned.contains)
    }

    /// Planned services not built yet (said once at start, so nobody wonders where they are).
    var missing: [String] {
        Fleet.members.map(\.name).filter { planned.contains($0) && !Self.built.contains($0) }
    }

    /// The gateway's route table for this profile, relative to the repository; `nil` means
    /// the gateway's built-in table for the whole fleet.
    var routeTable: String? {
        switch self {
        case .chronos, .habitTracker, .taskManagement: "helm/flotilla/files/gateway/\(rawValue).json"
        default: nil
        }
    }
}
