import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The relay: what a commit publishes (and a rollback does not), the envelope, replicas,
/// and Redis going away.
@Suite("event bus: outbox relay")
struct OutboxRelayTests {
    struct Abort: Error {}

    @Test func aCommitIsPublishedWithItsEnvelopeAndARollbackIsNot() async throws {
        let bus = try await EventBusHarness.make()
        // A poll interval longer than the test: only the NOTIFY at commit can wake the relay.
        let producer = try bus.service(named: bus.source, ["EVENTS_RELAY_POLL_SECONDS": "300"])
        producer.publishEvents()
        try await bus.application(producer).test(.live) { client in
            // Wait for the relay's first (empty) round, so what follows is woken by NOTIFY.
            try await waitUntil("the relay has run once") { producer.runtime.metrics.exposition().contains("events_outbox_pending 0") }
            let correlation = RequestCorrelation(requestID: "req-relay-1", trace: .startTrace())
            let first = try await RequestCorrelation.$current.withValue(correlation) {
                try await bus.record("thing.made", aggregate: "t1", data: ["size": .int(3), "name": .string("ab\"c")])
            }
            await #expect(throws: Abort.self) {
                try await bus.pool.withTransaction { session in
                    try await session.recordEvent("thing.dropped", aggregate: "thing", id: "t1", data: [:])
                    throw Abort()
                }
            }
            let second = try await bus.record("thing.made", aggregate: "t2")
            try await waitUntil("both committed events are in the stream") { try await bus.stream(of: bus.source).length() >= 2 }

            let envelopes = try await bus.published(by: bus.source)
            #expect(envelopes.map(\.id) == [first, second], "the rolled-back event never reaches the stream")
            let envelope = try #require(envelopes.first)
            #expect(envelope.type == "thing.made" && envelope.version == 1 && envelope.source == bus.source)
            #expect(envelope.aggregate == .init(type: "thing", id: "t1") && envelope.actor == "user-1")
            #expect(envelope.data == ["size": .int(3), "name": .string("ab\"c")])
            #expect(envelope.traceparent == correlation.trace.traceparent && envelope.requestID == "req-relay-1")
            #expect(envelope.occurredAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil, "\(envelope.occurredAt)")
            #expect(envelopes[1].traceparent == nil && envelopes[1].requestID == nil, "no request, no correlation")
            let entry = try #require(try await bus.stream(of: bus.source).range().first)
            #expect(entry.fields["id"] == first && entry.fields["type"] == "thing.made")
            try await waitUntil("the rows have moved to the published log") {
                try await bus.pool.query("SELECT 1 FROM outbox").rows.isEmpty
            }
            let kept = try await bus.pool.query("SELECT id::text AS id FROM published_events ORDER BY position").rows
            #expect(try kept.map { try $0.decode("id", as: String.self) } == [first, second], "kept for the retention period")
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(String(buffer: health.body).contains(#""events:outbox""#))
        }
        await bus.close()
    }

    @Test func eventsRecordedTogetherArePublishedInTheirOrder() async throws {
        let bus = try await EventBusHarness.make()
        let producer = try bus.service(named: bus.source)
        producer.publishEvents()
        try await bus.application(producer).test(.live) { _ in
            let events = (0..<5).map { index in
                OutboxEvent("thing.made", version: index + 1, aggregate: "thing", id: "t\(4 - index)", actor: index == 2 ? nil : "user-\(index)",
                            data: ["index": .int(index), "text": .string("line \(index)\n\"quoted\"")])
            }
            let ids = try await bus.pool.withTransaction { try await $0.recordEvents(events) }
            #expect(Set(ids).count == 5)
            #expect(try await bus.pool.withTransaction { try await $0.recordEvents([]) }.isEmpty, "nothing to record is no statement and no error")
            try await waitUntil("the five events are in the stream") { try await bus.stream(of: bus.source).length() >= 5 }

            let published = try await bus.published(by: bus.source)
            #expect(published.map(\.id) == ids, "published in the order recorded, with the ids returned")
            for (envelope, event) in zip(published, events) {
                #expect(envelope.type == event.type && envelope.version == event.version && envelope.actor == event.actor)
                #expect(envelope.aggregate == .init(type: event.aggregate, id: event.id) && envelope.data == event.data)
            }
        }
        await bus.close()
    }

    @Test func publishedEventsArePrunedAfterTheRetentionPeriod() async throws {
        let bus = try await EventBusHarness.make()
        // One event published four hours ago, one an hour ago; the retention is three hours.
        for age in [4, 1] {
            let id = try await bus.record("thing.made", aggregate: "aged-\(age)")
            try await bus.pool.query(
                """
                WITH moved AS (DELETE FROM outbox WHERE id = $1::uuid RETURNING *)
                INSERT INTO published_events (id, position, event_type, event_version, aggregate_type, aggregate_id, payload, occurred_at, published_at)
                SELECT id, position, event_type, event_version, aggregate_type, aggregate_id, payload, occurred_at, now() - make_interval(hours => $2::int) FROM moved
                """,
                [id, age])
        }
        let producer = try bus.service(named: bus.source, ["EVENTS_OUTBOX_RETENTION_HOURS": "3"])
        producer.publishEvents()
        try await bus.application(producer).test(.live) { _ in
            let fresh = try await bus.record("thing.made", aggregate: "fresh")
            try await waitUntil("the old event is pruned and the new one published") {
                let kept = try await bus.pool.query("SELECT aggregate_id FROM published_events ORDER BY position").rows
                return try kept.map { try $0.decode("aggregate_id", as: String.self) } == ["aged-1", "fresh"]
            }
            #expect(try await bus.published(by: bus.source).map(\.id) == [fresh], "only the new event went to the stream")
        }
        await bus.close()
    }

    @Test func theRelayVacuumsTheOutboxAfterPublishingTheConfiguredNumberOfRows() async throws {
        let bus = try await EventBusHarness.make()
        #expect(try await Self.outboxVacuums(bus) == 0)
        let producer = try bus.service(named: bus.source, ["EVENTS_OUTBOX_VACUUM_ROWS": "3"])
        producer.publishEvents()
        try await bus.application(producer).test(.live) { _ in
            _ = try await bus.record("thing.made", aggregate: "v1")
            _ = try await bus.record("thing.made", aggregate: "v2")
            try await waitUntil("two events are in the stream") { try await bus.stream(of: bus.source).length() >= 2 }
            let early = try await Self.outboxVacuums(bus)
            #expect(early == 0, "two rows published: not yet")
            _ = try await bus.record("thing.made", aggregate: "v3")
            // Which dead versions it could remove depends on the other tests' transactions.
            try await waitUntil("the relay vacuumed the outbox after the third row") { try await Self.outboxVacuums(bus) == 1 }
        }
        await bus.close()
    }

    @Test func aRelayWhoseRoleDoesNotOwnTheOutboxSaysItCannotVacuumItAndGoesOnPublishing() async throws {
        let bus = try await EventBusHarness.make()
        // A role that may publish (claim, move, prune) but owns nothing.
        let role = "relay_\(bus.schema.suffix(8))", password = UUID().uuidString
        for statement in [
            "CREATE ROLE \(role) LOGIN PASSWORD '\(password)'", "GRANT USAGE ON SCHEMA \(bus.schema) TO \(role)",
            "GRANT SELECT, UPDATE, DELETE ON outbox TO \(role)", "GRANT SELECT, INSERT, DELETE ON published_events TO \(role)",
        ] { try await bus.pool.query(statement) }
        var url = try #require(URLComponents(string: try TestDatabase.url()))
        (url.user, url.password) = (role, password)
        let logs = LogCapture()
        let producer = try bus.service(
            named: bus.source, logs: logs, ["DATABASE_URL": try #require(url.string), "MIGRATE_ON_START": "false", "EVENTS_OUTBOX_VACUUM_ROWS": "1"])
        producer.publishEvents()
        try await bus.application(producer).test(.live) { _ in
            for index in 0..<3 {
                _ = try await bus.record("thing.made", aggregate: "n\(index)")
                try await waitUntil("event \(index + 1) is in the stream") { try await bus.stream(of: bus.source).length() >= index + 1 }
            }
        }
        let warnings = try logs.records(withMessage:
            "the relay's database role does not own the outbox, so it cannot vacuum it: autovacuum alone will (EVENTS_OUTBOX_VACUUM_ROWS=0 says so)")
        #expect(warnings.count == 1, "said once, not at every batch")
        #expect(try await Self.outboxVacuums(bus) == 0)
        try await bus.pool.query("DROP OWNED BY \(role)")
        try await bus.pool.query("DROP ROLE \(role)")
        await bus.close()
    }

    /// Vacuums (not autovacuum's) of the harness's outbox so far.
    static func outboxVacuums(_ bus: EventBusHarness) async throws -> Int {
        try await bus.pool.query(
            "SELECT vacuum_count::int AS vacuums FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'outbox'", [bus.schema]
        ).rows[0].decode("vacuums", as: Int.self)
    }

    @Test func twoRelaysOnOneOutboxPublishEachRowOnceInOrderPerAggregate() async throws {
        let bus = try await EventBusHarness.make()
        let replicas = try (0..<2).map { _ in try bus.service(named: bus.source, ["EVENTS_RELAY_BATCH": "7", "EVENTS_RELAY_POLL_SECONDS": "0.05"]) }
        for replica in replicas { replica.publishEvents() }
        try await bus.application(replicas[0]).test(.live) { _ in
            try await bus.application(replicas[1]).test(.live) { _ in
                // Five aggregates, forty changes each, written concurrently.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for aggregate in 0..<5 {
                        group.addTask {
                            for step in 0..<40 { try await bus.record("thing.made", aggregate: "a\(aggregate)", data: ["step": .int(step)]) }
                        }
                    }
                    try await group.waitForAll()
                }
                try await waitUntil("every row is published") {
                    try await bus.pool.query("SELECT 1 FROM outbox").rows.isEmpty
                }
            }
        }
        let envelopes = try await bus.published(by: bus.source)
        #expect(envelopes.count == 200, "each row exactly once")
        #expect(Set(envelopes.map(\.id)).count == 200)
        for aggregate in 0..<5 {
            let steps = envelopes.filter { $0.aggregate.id == "a\(aggregate)" }.map { $0.data["step"] }
            #expect(steps == (0..<40).map { .int($0) }, "aggregate a\(aggregate) in order")
        }
        await bus.close()
    }

    @Test func rowsWaitWhileRedisIsDownThenArriveInOrder() async throws {
        let first = try await PrivateRedis()
        let bus = try await EventBusHarness.make(redisURL: first.url)
        let restarted = Mutex<PrivateRedis?>(nil)
        let producer = try bus.service(named: bus.source, ["EVENTS_RELAY_POLL_SECONDS": "0.1"])
        producer.publishEvents()
        try await bus.application(producer).test(.live) { client in
            try await bus.record("thing.made", aggregate: "before")
            try await waitUntil("the first event is published") { try await bus.stream(of: bus.source).length() == 1 }

            first.stop()
            for step in 0..<12 { try await bus.record("thing.made", aggregate: "w\(step % 3)", data: ["step": .int(step)]) }
            try await waitUntil("/health warns that events wait") {
                let health = try await client.execute(uri: "/health", method: .get)
                let body = String(buffer: health.body)
                return body.contains("publishing fails") && body.contains(#""status":"warn""#)
            }
            #expect(try await bus.pool.query("SELECT 1 FROM outbox").rows.count == 12, "nothing lost")
            #expect(try await bus.pool.query("SELECT 1 FROM published_events").rows.count == 1, "nothing moved but the event Redis took")

            // A new, empty server on the same port: every waiting row arrives.
            let second = try await PrivateRedis(port: first.port)
            restarted.withLock { $0 = second }
            try await waitUntil("the waiting rows are published", ceiling: .seconds(120)) {
                (try? await bus.stream(of: bus.source).length()) == 12
            }
            let envelopes = try await bus.published(by: bus.source)
            for aggregate in 0..<3 {
                let steps = envelopes.filter { $0.aggregate.id == "w\(aggregate)" }.compactMap { $0.data["step"] }
                #expect(steps == stride(from: aggregate, to: 12, by: 3).map { .int($0) }, "w\(aggregate) in order")
            }
        }
        restarted.withLock { $0?.stop() }
        await bus.close()
    }
}
