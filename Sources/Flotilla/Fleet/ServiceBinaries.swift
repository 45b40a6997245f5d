import Foundation

/// Where the service binaries are, building them first when they are missing or older than
/// the sources (`swift build --product ...`), so `flotilla up` alone is enough.
struct ServiceBinaries: Sendable {
    let directory: URL

    func binary(_ service: String) -> URL {
        directory.appendingPathComponent(service)
    }

    /// The binaries beside this `flotilla` (what `swift run flotilla` built).
    static var besideThisProgram: ServiceBinaries {
        ServiceBinaries(directory: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
    }

    /// Those of `services` whose binary is missing, or older than the newest file it is
    /// built from: its target, the kit, the C library modules and `Package.swift`.
    func stale(_ services: [String], repository: URL) -> [String] {
        let shared = ["Sources/FlotillaKit", "Sources/CCurl", "Sources/CHiredis", "Sources/CLibPQ", "Package.swift"]
        return services.filter { service in
            guard let built = Self.modification(of: binary(service)) else { return true }
            let target = service.prefix(1).uppercased() + service.dropFirst()
            let inputs = (["Sources/\(target)"] + shared).map { repository.appendingPathComponent($0) }
            return Self.newestModification(under: inputs).map { built < $0 } ?? false
        }
    }

    /// `swift build --product` each of `services` in `repository`, printing its progress.
    func build(_ services: [String], repository: URL, say: (String) -> Void) throws {
        for service in services {
            say("building \(service) (swift build --product \(service))")
            let result = try ChildProcess.run("swift", ["build", "--package-path", repository.path, "--product", service])
            guard result.status == 0 else {
                throw FleetFailure("swift build --product \(service) failed:\n" + result.output.split(separator: "\n").suffix(15).joined(separator: "\n"))
            }
        }
    }

    private static func modification(of url: URL) -> Date? {
        try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
    }

    private static func newestModification(under roots: [URL]) -> Date? {
        var newest: Date?
        for root in roots {
            if let date = modification(of: root) { newest = max(newest ?? date, date) }
            guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.contentModificationDateKey]) else { continue }
            for case let file as URL in files {
                if let date = modification(of: file) { newest = max(newest ?? date, date) }
            }
        }
        return newest
    }
}
