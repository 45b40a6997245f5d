import FlotillaKit
import FlotillaKitTesting
import Foundation
import HummingbirdTesting
import Synchronization
import Testing

/// The consumer: idempotent handling, retries and dead letters, reclaiming a dead replica's
/// messages, and the causing request's trace carried into the handler's log lines.
@Suite("event bus: consumers")
struct EventConsumerTests {
    @Test func aDuplicateDeliveryIsHandledOnceAndTheTraceContinues() async throws {
        let bus = try await EventBusHarness.make()
        let logs = LogCapture()
        let consumer = try bus.service(named: "consumer", logs: logs)
        let recorder = RecordingHandlers()
        consumer.consumeEvents(from: [bus.source], handlers: recorder.handlers)
        let trace = TraceContext.startTrace()
        let envelope = EventBusHarness.envelope(source: bus.source, traceparent: trace.traceparent, requestID: "req-consumer-1")
        try await bus.application(consumer).test(.live) { _ in
            try await bus.deliver(envelope)
            try await bus.deliver(envelope)
            try await bus.deliver(EventBusHarness.envelope(source: bus.source, type: "thing.unknown"))
            try await waitUntil("all three entries are acknowledged") {
                let info = try await bus.redis.send("XINFO", "GROUPS", bus.stream(of: bus.source).name)
                let group = try #require(info.array?.first)
                return Self.field("entries-read", of: group) == 3 && Self.field("pending", of: group) == 0
            }
        }
        #expect(try await bus.handled().map(\.id) == [envelope.id], "handled once")
        #expect(recorder.attempts.load(ordering: .relaxed) == 1, "the duplicate was skipped before its handler ran")
        let handledLine = try #require(try logs.records(withMessage: "event handled").first)
        #expect(handledLine["trace_id"] == .string(trace.traceID), "the consumer's log line continues the causing request's trace")
        #expect(handledLine["request_id"] == "req-consumer-1")
        #expect(handledLine["event.id"] == .string(envelope.id))
        #expect(try logs.records(withMessage: "duplicate event skipped").count == 1)
        await bus.close()
    }

    @Test func aFailingHandlerIsRetriedThenDeadLetteredAndCanBeReplayed() async throws {
        let bus = try await EventBusHarness.make()
        let consumer = try bus.service(named: "consumer", ["EVENTS_MAX_DELIVERIES": "3", "EVENTS_CLAIM_IDLE_SECONDS": "0.2"])
        let recorder = RecordingHandlers()
        recorder.failing.store(true, ordering: .relaxed)
        consumer.consumeEvents(from: [bus.source], handlers: recorder.handlers)
        let envelope = EventBusHarness.envelope(source: bus.source)
        let dead = RedisStream(client: bus.redis, name: bus.prefix + "dead:consumer")
        try await bus.application(consumer).test(.live) { _ in
            try await bus.deliver(envelope)
            try await waitUntil("the event is dead-lettered") { try await dead.length() == 1 }
            #expect(recorder.attempts.load(ordering: .relaxed) == 3, "one delivery and two redeliveries")
            let letter = try #require(try await dead.range().first)
            #expect(letter.fields["error"] == "the test handler refuses this event")
            #expect(letter.fields["deliveries"] == "3" && letter.fields["id"] == envelope.id)
            #expect(try await bus.handled().isEmpty, "a failed handler's writes are rolled back")
            let pending = try await bus.redis.send("XPENDING", bus.stream(of: bus.source).name, "consumer")
            #expect(pending.array?.first?.int == 0, "dead letters are acknowledged")
            let metrics = consumer.runtime.metrics.exposition()
            #expect(metrics.contains(#"events_dead_lettered_total{stream="\#(bus.prefix)events:\#(bus.source)",group="consumer"} 1"#))

            // Fixed: the dead letter goes back and is handled.
            recorder.failing.store(false, ordering: .relaxed)
            let admin = EventBusAdmin(
                pool: bus.pool, redis: bus.redis, settings: consumer.configuration.events, service: "consumer", publishes: false, consumes: [bus.source])
            #expect(try await admin.status().deadLetters == 1)
            #expect(try await admin.replayDead() == 1)
            try await waitUntil("the replayed event is handled") { try await bus.handled().count == 1 }
            #expect(try await dead.length() == 0)
        }
        await bus.close()
    }

    @Test func eventsReadTogetherShareOneTransactionAndAFailingOneHoldsBackOnlyItself() async throws {
        let bus = try await EventBusHarness.make()
        // Two aggregates, five events each, all waiting before the consumer's first read.
        let envelopes = (0..<10).map { index in
            EventEnvelope(
                id: UUID().uuidString.lowercased(), type: "thing.made", occurredAt: RFC3339.now(), source: bus.source,
                aggregate: .init(type: "thing", id: index < 5 ? "a" : "b"), actor: "user-1", data: ["n": .int(index)], traceparent: nil, requestID: nil)
        }
        for envelope in envelopes { try await bus.deliver(envelope) }
        let refused = envelopes[7].id
        var handlers = EventHandlers()
        handlers.on("thing.made") { envelope, session in
            try await session.query("INSERT INTO handled (event_id, type) VALUES ($1::uuid, $2)", [envelope.id, envelope.type])
            if envelope.id == refused { throw RecordingHandlers.HandlerFailure() }
        }
        // One lane for both aggregates, and no redelivery during the test.
        let consumer = try bus.service(named: "consumer", ["EVENTS_CONSUMER_CONCURRENCY": "1", "EVENTS_CLAIM_IDLE_SECONDS": "3600"])
        consumer.consumeEvents(from: [bus.source], handlers: handlers)
        try await bus.application(consumer).test(.live) { _ in
            try await waitUntil("all but the refused event are handled and acknowledged") {
                let pending = try await bus.redis.send("XPENDING", bus.stream(of: bus.source).name, "consumer").array?.first?.int
                return try await bus.handled().count == 9 && pending == 1
            }
        }
        #expect(Set(try await bus.handled().map(\.id)) == Set(envelopes.map(\.id)).subtracting([refused]), "each other event once, the refused one's write rolled back")
        let transactions = try await bus.pool.query("SELECT count(DISTINCT processed_at)::int AS n, count(*)::int AS events FROM processed_events").rows[0]
        #expect(try transactions.decode("events", as: Int.self) == 9)
        // The lane's transaction failed on the refused event, so each went alone after it.
        #expect(try transactions.decode("n", as: Int.self) == 9)
        await bus.close()
    }

    @Test func eventsReadTogetherAreHandledInOneTransaction() async throws {
        let bus = try await EventBusHarness.make()
        let envelopes = (0..<6).map { EventBusHarness.envelope(source: bus.source, aggregate: "t\($0 % 2)") }
        for envelope in envelopes { try await bus.deliver(envelope) }
        let consumer = try bus.service(named: "consumer", ["EVENTS_CONSUMER_CONCURRENCY": "1"])
        consumer.consumeEvents(from: [bus.source], handlers: RecordingHandlers().handlers)
        try await bus.application(consumer).test(.live) { _ in
            try await waitUntil("the six events are handled") { try await bus.handled().count == 6 }
        }
        let row = try await bus.pool.query("SELECT count(DISTINCT processed_at)::int AS n FROM processed_events").rows[0]
        #expect(try row.decode("n", as: Int.self) == 1, "one transaction (now() is the transaction's start) for the lane's six events")
        await bus.close()
    }

    @Test func duplicatesReadTogetherWithOtherEventsAreSkippedAndTheOthersHandledOnce() async throws {
        let bus = try await EventBusHarness.make()
        let (first, second, third, earlier) = (
            EventBusHarness.envelope(source: bus.source, aggregate: "t"), EventBusHarness.envelope(source: bus.source, aggregate: "t"),
            EventBusHarness.envelope(source: bus.source, aggregate: "t"), EventBusHarness.envelope(source: bus.source, aggregate: "t"))
        // `earlier` was handled before (a redelivery after a crash); `first` arrives twice.
        try await bus.pool.query(
            "INSERT INTO processed_events (event_id, event_type, stream, entry_id) VALUES ($1::uuid, $2, $3, '1-0')",
            [earlier.id, earlier.type, bus.stream(of: bus.source).name])
        for envelope in [first, second, earlier, first, third] { try await bus.deliver(envelope) }
        let logs = LogCapture()
        let consumer = try bus.service(named: "consumer", logs: logs, ["EVENTS_CONSUMER_CONCURRENCY": "1"])
        let recorder = RecordingHandlers()
        consumer.consumeEvents(from: [bus.source], handlers: recorder.handlers)
        try await bus.application(consumer).test(.live) { _ in
            try await waitUntil("all five entries are acknowledged") {
                let info = try await bus.redis.send("XINFO", "GROUPS", bus.stream(of: bus.source).name)
                let group = try #require(info.array?.first)
                return Self.field("entries-read", of: group) == 5 && Self.field("pending", of: group) == 0
            }
        }
        let handled = try await bus.handled().map(\.id)
        #expect(handled.count == 3 && Set(handled) == [first.id, second.id, third.id], "each new event once")
        #expect(recorder.attempts.load(ordering: .relaxed) == 3, "no handler ran for a duplicate, nor in the batch that found them")
        #expect(try logs.records(withMessage: "duplicate event skipped").count == 2)
        #expect(try logs.records(withMessage: "event handled").count == 3)
        await bus.close()
    }

    @Test func processedEventsArePrunedAfterTheRetentionPeriod() async throws {
        let bus = try await EventBusHarness.make()
        let consumed = bus.stream(of: bus.source).name
        // Handled 25 and 23 hours ago from the consumed stream, and 25 hours ago from a stream
        // this consumer does not read (another service's rows in a shared schema are not its own).
        for (id, stream, hours) in [("a", consumed, 25), ("b", consumed, 23), ("c", "test:other", 25)] {
            try await bus.pool.query(
                """
                INSERT INTO processed_events (event_id, event_type, stream, entry_id, processed_at)
                VALUES (md5($1)::uuid, 'thing.made', $2, '1-0', now() - make_interval(hours => $3::int))
                """,
                [id, stream, hours])
        }
        let consumer = try bus.service(named: "consumer", ["EVENTS_PROCESSED_RETENTION_HOURS": "24"])
        consumer.consumeEvents(from: [bus.source], handlers: RecordingHandlers().handlers)
        try await bus.application(consumer).test(.live) { _ in
            try await waitUntil("the event handled 25 hours ago is forgotten") {
                try await bus.pool.query("SELECT 1 FROM processed_events WHERE event_id = md5('a')::uuid").rows.isEmpty
            }
        }
        let kept = try await bus.pool.query("SELECT event_id::text AS id FROM processed_events ORDER BY processed_at").rows
        let expected = try await bus.pool.query("SELECT md5('c')::uuid::text AS c, md5('b')::uuid::text AS b").rows[0]
        #expect(try kept.map { try $0.decode("id", as: String.self) } == [try expected.decode("c", as: String.self), try expected.decode("b", as: String.self)],
                "the one within the retention and the other stream's stay")
        await bus.close()
    }

    @Test func messagesPendingOnADeadConsumerAreReclaimed() async throws {
        let bus = try await EventBusHarness.make()
        let stream = bus.stream(of: bus.source)
        try await stream.createGroup("consumer")
        let envelopes = (0..<3).map { EventBusHarness.envelope(source: bus.source, aggregate: "t\($0)") }
        for envelope in envelopes { try await bus.deliver(envelope) }
        // A replica took them and died before acknowledging.
        #expect(try await stream.read(group: "consumer", consumer: "dead-pod", count: 10).count == 3)

        let consumer = try bus.service(named: "consumer", ["EVENTS_CLAIM_IDLE_SECONDS": "0.2"])
        consumer.consumeEvents(from: [bus.source], handlers: RecordingHandlers().handlers)
        try await bus.application(consumer).test(.live) { _ in
            try await waitUntil("the dead replica's messages are handled") { try await bus.handled().count == 3 }
            try await waitUntil("and acknowledged") {
                try await bus.redis.send("XPENDING", stream.name, "consumer").array?.first?.int == 0
            }
        }
        #expect(Set(try await bus.handled().map(\.id)) == Set(envelopes.map(\.id)))
        await bus.close()
    }

    @Test func replayFromATimeRunsTheHandlersAgain() async throws {
        let bus = try await EventBusHarness.make()
        let consumer = try bus.service(named: "consumer")
        consumer.consumeEvents(from: [bus.source], handlers: RecordingHandlers().handlers)
        let envelope = EventBusHarness.envelope(source: bus.source)
        let admin = EventBusAdmin(
            pool: bus.pool, redis: bus.redis, settings: consumer.configuration.events, service: "consumer", publishes: false, consumes: [bus.source])
        try await bus.application(consumer).test(.live) { _ in
            try await bus.deliver(envelope)
            try await waitUntil("the event is handled") { try await bus.handled().count == 1 }
            _ = try await admin.replay(from: "1970-01-01T00:00:00Z")
            try await waitUntil("the event is handled again after the replay") { try await bus.handled().count == 2 }
            await #expect(throws: ReplayPositionError.self) { try await admin.replay(from: "yesterday") }
        }
        await bus.close()
    }

    static func field(_ name: String, of group: RedisValue) -> Int? {
        let flat = group.array ?? []
        guard let index = flat.firstIndex(where: { $0.string == name }), index + 1 < flat.count else { return nil }
        return flat[index + 1].int
    }
}

/// ``EventHandlers/onTaskDeleted(_:)``: what services that attach things to tasks are told.
@Suite("event bus: a deleted task")
struct TaskDeletedHandlerTests {
    @Test func aDeletedProjectTaskIsPassedOnAsItsEntityWithWhoDeletedItAndAPersonalOneIsNot() async throws {
        let bus = try await EventBusHarness.make()
        let seen = Mutex<[String]>([])
        var handlers = EventHandlers()
        handlers.onTaskDeleted { task, actor, _ in seen.withLock { $0.append("\(task) by \(actor)") } }
        let handler = try #require(handlers.handler(for: "task.deleted"))
        func deleted(key: String?, actor: String?) -> EventEnvelope {
            EventEnvelope(
                id: UUID().uuidString.lowercased(), type: "task.deleted", occurredAt: RFC3339.now(), source: "tasks", aggregate: .init(type: "task", id: "t"),
                actor: actor, data: ["key": key.map(JSONValue.string) ?? .null, "owner_id": .string("ann")], traceparent: nil, requestID: nil)
        }
        try await bus.pool.withTransaction { session in
            try await handler(deleted(key: "WEB-7", actor: "bob"), session)
            try await handler(deleted(key: nil, actor: "bob"), session)
            try await handler(deleted(key: "WEB-8", actor: nil), session)
        }
        #expect(seen.withLock { $0 } == ["task:WEB-7 by bob", "task:WEB-8 by ann"], "the owner when no actor; nothing for a personal task")
        await bus.close()
    }
}
