/// The `application/health+json` body of `/health` (draft-inadarei-api-health-check).
public struct HealthDocument: Codable, Sendable, Equatable {
    /// One observation under a `component:measurement` key.
    public struct Check: Codable, Sendable, Equatable {
        public var componentType: String
        public var observedValue: JSONValue?
        public var observedUnit: String?
        public var status: HealthStatus
        public var time: String
        public var output: String?
    }

    public var status: HealthStatus
    public var version: String
    public var releaseId: String
    public var serviceId: String
    public var description: String
    /// Observations keyed `component:measurement`; each value is a list, as the draft specifies.
    public var checks: [String: [Check]]

    /// The document for `report` about `identity`.
    public init(report: HealthReport, identity: ServiceIdentity, releaseID: String) {
        self.status = report.status
        self.version = identity.version
        self.releaseId = releaseID
        self.serviceId = identity.name
        self.description = "Flotilla \(identity.name) service"
        self.checks = report.entries.reduce(into: [:]) { checks, entry in
            checks[entry.name, default: []].append(
                Check(
                    componentType: entry.componentType,
                    observedValue: entry.observation.observedValue,
                    observedUnit: entry.observation.observedUnit,
                    status: entry.observation.status,
                    time: entry.time,
                    output: entry.observation.output
                )
            )
        }
    }

    /// Media type of the document.
    public static let contentType = "application/health+json"
}
