import Logging

/// A swift-log handler that writes one line per event in the service's ``LogFormat``.
///
/// Metadata is merged in this order, later winning: the logger's own metadata, the
/// metadata provider (by default the request correlation in the current task), and the
/// event's metadata. Hummingbird's `hb.request.id` is dropped because `request_id` carries it.
public struct FlotillaLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let service: String
    private let format: LogFormat
    private let output: LogOutput

    /// Create a handler for `service`.
    public init(
        service: String,
        format: LogFormat,
        output: LogOutput,
        level: Logger.Level,
        metadataProvider: Logger.MetadataProvider? = RequestCorrelation.metadataProvider
    ) {
        self.service = service
        self.format = format
        self.output = output
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let own = event.metadata {
            merged.merge(own) { _, new in new }
        }
        if let error = event.error {
            merged["error"] = .string(String(describing: error))
        }
        merged.removeValue(forKey: "hb.request.id")
        let timestamp = RFC3339.now()
        let line =
            switch format {
            case .json:
                LogLineFormatter.json(
                    timestamp: timestamp, level: event.level, service: service,
                    message: event.message.description, metadata: merged
                )
            case .pretty:
                LogLineFormatter.pretty(
                    timestamp: timestamp, level: event.level, service: service,
                    message: event.message.description, metadata: merged
                )
            }
        output.write(line)
    }
}

extension Logger {
    /// A logger for `configuration`'s service writing through ``FlotillaLogHandler``.
    public init(configuration: ServiceConfiguration) {
        let handler = FlotillaLogHandler(
            service: configuration.identity.name,
            format: configuration.logFormat,
            output: configuration.logOutput,
            level: configuration.logLevel
        )
        self.init(label: configuration.identity.name) { _ in handler }
    }
}
