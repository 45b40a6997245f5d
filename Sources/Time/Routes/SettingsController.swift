import FlotillaKit
import Hummingbird

/// `GET/PATCH /time-settings/{key}` and `PUT/DELETE /time-settings/{key}/rates/{userID}`:
/// a project's hourly rate and rounding, and people's own rates in it (project admins).
struct SettingsController: Sendable {
    let settings: ProjectSettingsStore
    let access: TimeAccess

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/time-settings/{key}", use: show)
        group.patch("/time-settings/{key}", use: update)
        group.put("/time-settings/{key}/rates/{userID}", use: setRate)
        group.delete("/time-settings/{key}/rates/{userID}", use: removeRate)
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let document = try await project(request, context)
        return JSONResponse.make(try await settings.settings(of: document))
    }

    /// `{hourly_rate?: "80.00" | null, rounding?: {minutes, mode} | null}`.
    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let document = try await project(request, context)
        var body = try await JSONObjectReader(request, context: context)
        let rate = Self.rate(&body, required: false)
        let rounding: Patch<Rounding>
        switch body.value("rounding") {
        case .absent: rounding = .absent
        case .clear: rounding = .clear
        case .set(.object(let fields)):
            let minutes = fields["minutes"].flatMap { if case .int(let value) = $0, (1...60).contains(value) { value } else { nil } }
            let mode = fields["mode"].flatMap { if case .string(let value) = $0 { Rounding.Mode(rawValue: value) } else { nil } }
            if minutes == nil || mode == nil || fields.count != 2 {
                body.record("rounding", "must be {\"minutes\": 1 to 60, \"mode\": one of \(Rounding.Mode.allCases.map(\.rawValue).joined(separator: ", "))}")
                rounding = .absent
            } else {
                rounding = .set(Rounding(minutes: minutes!, mode: mode!))
            }
        case .set:
            body.record("rounding", "must be an object {minutes, mode} or null")
            rounding = .absent
        }
        try body.validate()
        try await settings.update(document, hourlyRate: rate, rounding: rounding)
        return JSONResponse.make(try await settings.settings(of: document))
    }

    /// `{hourly_rate}`: `userID`'s own rate in the project.
    @Sendable func setRate(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let document = try await project(request, context)
        let user = try member(context, of: document)
        var body = try await JSONObjectReader(request, context: context)
        let rate = Self.rate(&body, required: true)
        try body.validate()
        try await settings.setRate(rate.value!, for: user, in: document)
        return JSONResponse.make(try await settings.settings(of: document))
    }

    @Sendable func removeRate(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let document = try await project(request, context)
        try await settings.setRate(nil, for: try member(context, of: document), in: document)
        return Response(status: .noContent)
    }

    private func project(_ request: Request, _ context: FlotillaRequestContext) async throws -> ProjectAccessDocument {
        try await access.project(context.parameters.get("key") ?? "", request, try context.requirePrincipal(), needs: .admin)
    }

    private func member(_ context: FlotillaRequestContext, of document: ProjectAccessDocument) throws(APIError) -> String {
        guard let user = context.parameters.get("userID"), document.isMember(user) else {
            throw APIError.notFound("\(context.parameters.get("userID") ?? "") is not a member of \(document.project.key).")
        }
        return user
    }

    /// An hourly rate as a string with at most two decimals (`"80.00"`), never negative.
    private static func rate(_ body: inout JSONObjectReader, required: Bool) -> Patch<Money> {
        let field = body.string("hourly_rate", required: required, length: 1...14)
        switch field {
        case .set(let text):
            guard let money = Money(text), money >= .zero else {
                body.record("hourly_rate", "must be an amount such as \"80.00\" (a string, at most two decimals, not negative)")
                return .absent
            }
            return .set(money)
        case .clear: return required ? .absent : .clear
        case .absent: return .absent
        }
    }
}
