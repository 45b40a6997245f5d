import FlotillaKit
import HTTPTypes
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /time-reports?from=&to=&group_by=day|project|task|user|tag&project=&format=csv`:
/// totals of the caller's stopped entries in their zone; with `project` and admin rights
/// there, everyone's in it. CSV with `?format=csv` or `Accept: text/csv`.
struct ReportController: Sendable {
    let report: TimeReport
    let access: TimeAccess
    let zones: UserZones
    let pool: PostgresPool

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/time-reports", use: show)
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let from = query.string("from", maxLength: 10).flatMap { LocalDate($0) }
        let to = query.string("to", maxLength: 10).flatMap { LocalDate($0) }
        let grouping = query.choice("group_by", in: TimeReport.Grouping.allCases.map(\.rawValue)).flatMap(TimeReport.Grouping.init(rawValue:)) ?? .day
        let project = query.string("project", maxLength: 10)
        let format = query.choice("format", in: ["json", "csv"])
        if from == nil { query.record("from", "is required: a date such as 2026-12-01") }
        if to == nil { query.record("to", "is required: a date such as 2026-12-31") }
        if let from, let to, from > to || from.days(until: to) > 366 { query.record("to", "must be on or after from, at most a year later") }
        try query.validate()
        var everyone = false
        if let project {
            let document = try await access.project(project, request, principal, needs: .viewer)
            everyone = document.role >= .admin
        }
        let zone = try await pool.withConnection { try await zones.name(of: principal.subject, in: $0) }
        let (rows, total) = try await report.run(.init(
            user: everyone ? nil : principal.subject, project: project, from: from!, to: to!, zone: zone, grouping: grouping))
        let wantsCSV = format == "csv" || (format == nil && (request.headers[.accept] ?? "").contains("text/csv"))
        guard wantsCSV else {
            return JSONResponse.make(ReportDocument(from: from!.description, to: to!.description, timeZone: zone, groupBy: grouping.rawValue, rows: rows, total: total))
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"time-\(from!)-\(to!)-by-\(grouping.rawValue).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: ReportCSV.text(rows: rows, total: total, grouping: grouping))))
    }
}

/// `GET /time-reports` as JSON.
struct ReportDocument: Encodable, Sendable {
    let from: String
    let to: String
    let timeZone: String
    let groupBy: String
    let rows: [TimeReport.Row]
    let total: TimeReport.Row

    enum CodingKeys: String, CodingKey {
        case from, to, rows, total
        case timeZone = "time_zone", groupBy = "group_by"
    }
}
