#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a service publishes and consumes events, from the environment.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `EVENTS_STREAM_PREFIX` | empty | prefix of stream names (`events:<service>`, `dead:<group>`), to share one Redis |
/// | `EVENTS_STREAM_MAXLEN` | `100000` | entries kept per stream (approximate `MAXLEN ~` trimming) |
/// | `EVENTS_RELAY_POLL_SECONDS` | `1` | relay's polling fallback when no `NOTIFY` arrives |
/// | `EVENTS_RELAY_BATCH` | `500` | outbox rows published per transaction |
/// | `EVENTS_OUTBOX_VACUUM_ROWS` | `20000` | the relay vacuums the outbox after publishing this many rows (`0`: autovacuum alone) |
/// | `EVENTS_OUTBOX_RETENTION_HOURS` | `72` | how long published rows are kept |
/// | `EVENTS_CONSUMER_NAME` | `POD_NAME`, else host-pid | this replica's name in consumer groups |
/// | `EVENTS_CONSUMER_BATCH` | `1000` | entries one read takes (a lane's share is handled in one transaction) |
/// | `EVENTS_CONSUMER_CONCURRENCY` | `8` | events of different aggregates handled at once (one aggregate's in order) |
/// | `EVENTS_PROCESSED_RETENTION_HOURS` | `720` | how long a consumer remembers an event it handled (`processed_events`), to skip a redelivery |
/// | `EVENTS_MAX_DELIVERIES` | `5` | deliveries before a message is dead-lettered |
/// | `EVENTS_CLAIM_IDLE_SECONDS` | `30` | idle time after which a dead consumer's messages are reclaimed |
/// | `EVENTS_READ_BLOCK_SECONDS` | `2` | how long one `XREADGROUP` waits for new entries |
/// | `EVENTS_START_FROM` | `beginning` | where a new consumer group starts: `beginning` or `now` |
/// | `EVENTS_WARN_OUTBOX_AGE_SECONDS` | `60` | `/health` warns when the oldest unpublished row is older |
/// | `EVENTS_WARN_LAG` | `1000` | `/health` warns when a group's lag is larger |
public struct EventBusConfiguration: Sendable {
    /// Where a consumer group that does not exist yet starts reading.
    public enum StartPosition: String, Sendable, CaseIterable {
        /// Every entry still retained in the stream.
        case beginning
        /// Only entries added after the group is created.
        case now
    }

    public var streamPrefix: String
    public var streamMaxLength: Int
    public var relayPollInterval: Duration
    public var relayBatchSize: Int
    /// Rows published between the relay's own vacuums of the outbox; 0 leaves it to autovacuum.
    public var outboxVacuumRows: Int
    public var outboxRetention: Duration
    public var consumerName: String
    public var consumerBatchSize: Int
    public var consumerConcurrency: Int
    /// How long a consumer keeps the ids of events it handled (a redelivery after that runs again).
    public var processedRetention: Duration
    public var maxDeliveries: Int
    public var claimIdleTime: Duration
    public var readBlock: Duration
    public var startFrom: StartPosition
    public var warnOutboxAge: Duration
    public var warnLag: Int

    /// Defaults (as `flotilla up` and tests use them).
    public init() {
        streamPrefix = ""
        streamMaxLength = 100_000
        relayPollInterval = .seconds(1)
        relayBatchSize = 500
        outboxVacuumRows = 20_000
        outboxRetention = .seconds(72 * 3600)
        consumerName = Self.defaultConsumerName(podName: ProcessInfo.processInfo.environment["POD_NAME"])
        consumerBatchSize = 1000
        consumerConcurrency = 8
        processedRetention = .seconds(720 * 3600)
        maxDeliveries = 5
        claimIdleTime = .seconds(30)
        readBlock = .seconds(2)
        startFrom = .beginning
        warnOutboxAge = .seconds(60)
        warnLag = 1000
    }

    /// Read the settings; problems are recorded on `environment`.
    public init(identity: ServiceIdentity, environment: inout EnvironmentReader) {
        self.init()
        streamPrefix = environment.string("EVENTS_STREAM_PREFIX", default: streamPrefix)
        streamMaxLength = environment.integer("EVENTS_STREAM_MAXLEN", default: streamMaxLength, in: 100...100_000_000)
        relayPollInterval = environment.seconds("EVENTS_RELAY_POLL_SECONDS", default: relayPollInterval, in: 0.01...300)
        relayBatchSize = environment.integer("EVENTS_RELAY_BATCH", default: relayBatchSize, in: 1...10_000)
        outboxVacuumRows = environment.integer("EVENTS_OUTBOX_VACUUM_ROWS", default: outboxVacuumRows, in: 0...100_000_000)
        outboxRetention = .seconds(3600 * environment.integer("EVENTS_OUTBOX_RETENTION_HOURS", default: 72, in: 0...8760))
        consumerName = environment.string(
            "EVENTS_CONSUMER_NAME", default: Self.defaultConsumerName(podName: environment.raw("POD_NAME")))
        consumerBatchSize = environment.integer("EVENTS_CONSUMER_BATCH", default: consumerBatchSize, in: 1...10_000)
        consumerConcurrency = environment.integer("EVENTS_CONSUMER_CONCURRENCY", default: consumerConcurrency, in: 1...256)
        processedRetention = .seconds(3600 * environment.integer("EVENTS_PROCESSED_RETENTION_HOURS", default: 720, in: 1...87_600))
        maxDeliveries = environment.integer("EVENTS_MAX_DELIVERIES", default: maxDeliveries, in: 1...1000)
        claimIdleTime = environment.seconds("EVENTS_CLAIM_IDLE_SECONDS", default: claimIdleTime, in: 0.05...86_400)
        readBlock = environment.seconds("EVENTS_READ_BLOCK_SECONDS", default: readBlock, in: 0.01...60)
        startFrom = environment.choice("EVENTS_START_FROM", default: startFrom)
        warnOutboxAge = environment.seconds("EVENTS_WARN_OUTBOX_AGE_SECONDS", default: warnOutboxAge, in: 1...86_400)
        warnLag = environment.integer("EVENTS_WARN_LAG", default: warnLag, in: 1...100_000_000)
    }

    /// The pod's name in Kubernetes, else host and process id: unique per replica.
    static func defaultConsumerName(podName: String?) -> String {
        if let podName, !podName.isEmpty { return podName }
        return "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }
}
