import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Totals of stopped entries over a range of days in one zone, grouped by day, project, task,
/// user or tag, split into billable and not: two statements whatever the range.
struct TimeReport: Sendable {
    enum Grouping: String, CaseIterable, Sendable {
        case day, project, task, user, tag

        /// The SQL of each row's group (`$4` is the zone); fixed text, never input.
        var key: String {
            switch self {
            case .day: "to_char(e.started_at AT TIME ZONE $4, 'YYYY-MM-DD')"
            case .project: "e.project_key"
            case .task: "coalesce(e.task_ref, '(no task)')"
            case .user: "e.user_id"
            case .tag: "tag"
            }
        }
    }

    /// One group's totals.
    struct Row: Codable, Sendable, Equatable {
        let group: String
        let entries: Int
        let seconds: Int
        let billableSeconds: Int
        let cost: Money

        enum CodingKeys: String, CodingKey {
            case group, entries, seconds, cost
            case billableSeconds = "billable_seconds"
        }
    }

    /// What to total: whose entries (`user`, or everyone's in `project`), which days, how grouped.
    struct Query: Sendable {
        let user: String?
        let project: String?
        let from: LocalDate
        let to: LocalDate
        let zone: String
        let grouping: Grouping
    }

    let pool: PostgresPool
    let zones: ZoneInfoDatabase

    /// The rows, and the totals over the same entries (a tagged entry counts once in them).
    func run(_ query: Query) async throws -> (rows: [Row], total: Row) {
        let zone = zones.zone(query.zone) ?? zones.zone("UTC")!
        let start = Date(timeIntervalSince1970: TimeInterval(zone.instant(on: query.from, minute: 0)))
        let end = Date(timeIntervalSince1970: TimeInterval(zone.instant(on: query.to.adding(days: 1), minute: 0)))
        let tags = " CROSS JOIN LATERAL unnest(CASE WHEN cardinality(e.tags) = 0 THEN ARRAY['(untagged)'] ELSE e.tags END) AS tag"
        // `$4` (the zone) is named in the total's statement too, so both take one parameter list.
        let filter = """
            WHERE e.ended_at IS NOT NULL AND e.started_at >= $1 AND e.started_at < $2
              AND ($3::text IS NULL OR e.user_id = $3) AND ($5::text IS NULL OR e.project_key = $5) AND $4::text IS NOT NULL
            """
        let sums = """
            count(*)::int AS entries, coalesce(sum(e.duration_seconds), 0)::int AS seconds,
            coalesce(sum(e.duration_seconds) FILTER (WHERE e.billable), 0)::int AS billable_seconds, coalesce(sum(e.cost), 0)::numeric(14, 2) AS cost
            """
        let parameters: [any PostgresEncodable] = [start, end, query.user, query.zone, query.project]
        let rows = try await pool.query(
            "SELECT \(query.grouping.key) AS \"group\", \(sums) FROM time_entries e\(query.grouping == .tag ? tags : "") \(filter) GROUP BY 1 ORDER BY 1",
            parameters
        ).decode(Row.self)
        let total = try await pool.query(
            "SELECT 'total' AS \"group\", \(sums) FROM time_entries e \(filter)", parameters
        ).decode(Row.self)[0]
        return (rows, total)
    }
}

extension TimeReport.Row {
    /// Hours with two decimals, rounded half up, from whole seconds (no binary fractions).
    var hours: String {
        let (whole, hundredths) = ((seconds * 100 + 1800) / 3600).quotientAndRemainder(dividingBy: 100)
        return "\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)"
    }
}

/// RFC 4180 CSV: a header, one line per row, then the total; fields quoted where they need it.
enum ReportCSV {
    static func text(rows: [TimeReport.Row], total: TimeReport.Row, grouping: TimeReport.Grouping) -> String {
        var lines = [[grouping.rawValue, "entries", "seconds", "hours", "billable_seconds", "cost"]]
        for row in rows + [total] {
            lines.append([row.group, String(row.entries), String(row.seconds), row.hours, String(row.billableSeconds), row.cost.description])
        }
        return lines.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
