import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The fields of an entry as `POST`/`PATCH /time-entries` and `POST /timers` read them, each
/// problem recorded on the reader so one 400 names them all.
struct EntryInput: Sendable {
    init() {}

    var project: Patch<String> = .absent
    var task: Patch<String> = .absent
    var description: Patch<String> = .absent
    var billable: Patch<Bool> = .absent
    var tags: Patch<[String]> = .absent
    var start: Date?
    var end: Date?
    var durationSeconds: Int?
    /// Which of `started_at`, `ended_at` and `duration` were sent (valid or not).
    var sentTimes: Set<String> = []

    /// Read the fields; `times` adds `started_at`, `ended_at` and `duration`.
    init(_ body: inout JSONObjectReader, times: Bool) {
        project = body.string("project", length: 2...10)
        task = body.string("task", length: 3...40)
        description = body.string("description", length: 0...1000)
        billable = body.bool("billable")
        tags = body.strings("tags", maxCount: 20, length: 1...50)
        if let key = project.value, !ProjectKey.isValid(key) { body.record("project", "must be a project key such as WEB") }
        if project.isClear { body.record("project", "cannot be null") }
        guard times else { return }
        start = Self.instant(&body, "started_at")
        end = Self.instant(&body, "ended_at")
        let duration = body.value("duration")
        for (field, sent) in [("started_at", body.value("started_at").isPresent), ("ended_at", body.value("ended_at").isPresent), ("duration", duration.isPresent)] where sent {
            sentTimes.insert(field)
        }
        switch duration {
        case .set(.int(let seconds)) where (0...DurationText.maximum).contains(seconds): durationSeconds = seconds
        case .set(.string(let text)):
            durationSeconds = DurationText.seconds(text)
            if durationSeconds == nil { body.record("duration", "must be like 2:27, 2h27m, 90m or a number of seconds, at most a week") }
        case .absent: break
        default: body.record("duration", "must be like 2:27, 2h27m, 90m or a number of seconds, at most a week")
        }
        if end != nil && durationSeconds != nil { body.record("duration", "give ended_at or duration, not both") }
        if let start, let end, end < start { body.record("ended_at", "is before started_at") }
    }

    /// The end, from `ended_at` or `started_at` + `duration`.
    var resolvedEnd: Date? {
        end ?? durationSeconds.flatMap { seconds in start.map { $0.addingTimeInterval(TimeInterval(seconds)) } }
    }

    private static func instant(_ body: inout JSONObjectReader, _ field: String) -> Date? {
        let value = body.value(field)
        switch value {
        case .set(.string(let text)):
            guard let date = RFC3339.parse(text) else {
                body.record(field, "must be an RFC 3339 time such as 2026-12-07T09:30:00+01:00")
                return nil
            }
            return date
        case .absent: return nil
        default:
            body.record(field, "must be an RFC 3339 time such as 2026-12-07T09:30:00+01:00")
            return nil
        }
    }
}
