import FlotillaKit
import Hummingbird
import Prometheus

/// `GET/PATCH /users/me`, `GET/PATCH /users/me/preferences`, `GET /users/preferences/schema`,
/// `GET /users/resolve?handles=`, `GET /users/{id|@handle}` and `POST /users/{id}/deactivate`.
struct ProfileController: Sendable {
    let profiles: ProfileRepository
    let offboarding: Offboarding
    let handles: HandleDirectory
    let zones: ZoneInfoDatabase
    let metrics: UsersMetrics

    static let maxResolved = 50

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        // The literal paths before /users/{ref}.
        group.get("/users/me", use: me)
        group.patch("/users/me", use: update)
        group.get("/users/me/preferences", use: preferences)
        group.patch("/users/me/preferences", use: updatePreferences)
        group.get("/users/preferences/schema", use: schema)
        group.get("/users/resolve", use: resolve)
        group.get("/users/{ref}", use: show)
        group.post("/users/{ref}/deactivate", use: deactivate)
    }

    @Sendable func me(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(try await own(context).ownView)
    }

    /// `{handle?, display_name?, avatar_url?, time_zone?, locale?, bio?}`.
    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let profile = try await own(context, forWriting: true)
        var body = try await JSONObjectReader(request, context: context)
        var changes = ProfileRepository.Changes()
        let handle = body.string("handle", length: 1...Handle.maxLength)
        let name = body.string("display_name", length: 1...100)
        changes.avatarURL = body.string("avatar_url", length: 1...500)
        let zone = body.string("time_zone", length: 1...64)
        let locale = body.string("locale", length: 2...20)
        changes.bio = body.string("bio", length: 0...1000)
        for (field, patch) in [("handle", handle), ("display_name", name), ("time_zone", zone), ("locale", locale)] where patch.isClear {
            body.record(field, "cannot be null")
        }
        if let value = handle.value?.lowercased(), !Handle.isValid(value) {
            body.record("handle", "must be 1 to \(Handle.maxLength) letters, digits, '-' or '_', starting and ending with a letter or digit")
        }
        if let url = changes.avatarURL.value, !ProfileRules.isAvatarURL(url) { body.record("avatar_url", "must be an absolute https URL") }
        if let value = zone.value, zones.zone(value) == nil { body.record("time_zone", "must be an IANA time zone such as Europe/Berlin or America/New_York") }
        if let value = locale.value, !ProfileRules.isLocale(value) { body.record("locale", "must be a language tag such as en, de-DE or pt-BR") }
        try body.validate()
        changes.handle = handle.value?.lowercased()
        changes.displayName = name.value
        changes.timeZone = zone.value
        changes.locale = locale.value
        guard !changes.changed.isEmpty else { return JSONResponse.make(profile.ownView) }
        let updated = try await profiles.update(user: profile.userID, changes)
        if changes.handle != nil { await handles.changed() }
        metrics.profilesUpdated.increment()
        return JSONResponse.make(updated.ownView)
    }

    @Sendable func preferences(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(Preferences.effective(try await own(context).preferences ?? [:]))
    }

    /// A JSON Merge Patch of the preferences (`null` restores a default); the effective preferences.
    @Sendable func updatePreferences(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let profile = try await own(context, forWriting: true)
        let patch = try await request.decodeJSON(as: [String: JSONValue].self, context: context)
        var changes = ProfileRepository.Changes()
        changes.preferences = try Preferences.merge(patch, into: profile.preferences ?? [:])
        let updated = try await profiles.update(user: profile.userID, changes)
        return JSONResponse.make(Preferences.effective(updated.preferences ?? [:]))
    }

    @Sendable func schema(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try context.requirePrincipal()
        return JSONResponse.make(Preferences.schema)
    }

    /// `?handles=a,b,@c` (at most 50): `{data: [{handle, user_id, display_name}], unknown: [...]}`;
    /// deactivated people are unknown.
    @Sendable func resolve(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try context.requirePrincipal()
        var query = QueryReader(request)
        let raw = query.string("handles", maxLength: 2000) ?? ""
        var wanted: [String] = []
        for item in raw.split(separator: ",") {
            let handle = String(item.drop { $0 == "@" }).lowercased()
            guard Handle.isValid(handle) else {
                query.record("handles", "'\(item.prefix(40))' is not a handle")
                break
            }
            if !wanted.contains(handle) { wanted.append(handle) }
        }
        if wanted.isEmpty { query.record("handles", "name at least one handle, comma-separated") }
        if wanted.count > Self.maxResolved { query.record("handles", "name at most \(Self.maxResolved) handles") }
        try query.validate()
        let found = try await handles.resolve(wanted.sorted())
        let known = Set(found.map(\.handle))
        return JSONResponse.make(HandleResolution(data: found, unknown: wanted.filter { !known.contains($0) }))
    }

    /// `{ref}` is a user id or `@handle`; others see the public part only.
    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let profile = try await find(context)
        return JSONResponse.make(profile.userID == principal.subject ? profile.ownView : profile.publicView)
    }

    /// Offboard a person (themself, or anyone for a platform admin).
    @Sendable func deactivate(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let profile = try await find(context)
        guard profile.userID == principal.subject || principal.isAdmin else {
            throw APIError.forbidden("Only platform admins deactivate other people.")
        }
        let deactivated = try await offboarding.deactivate(profile.userID, actor: principal.subject)
        await handles.changed()
        metrics.usersDeactivated.increment()
        return JSONResponse.make(profile.userID == principal.subject ? deactivated.ownView : deactivated.publicView)
    }

    /// The caller's own profile; 404 until it is made, 403 for writes once deactivated.
    private func own(_ context: FlotillaRequestContext, forWriting: Bool = false) async throws -> Profile {
        let principal = try context.requirePrincipal()
        guard let profile = try await profiles.find(user: principal.subject) else { throw ProfileRepository.notYet }
        if forWriting && profile.deactivatedAt != nil {
            throw APIError(.forbidden, code: "deactivated", message: "Your account is deactivated; its profile cannot change.")
        }
        return profile
    }

    private func find(_ context: FlotillaRequestContext) async throws -> Profile {
        let ref = context.parameters.get("ref") ?? ""
        let found: Profile?
        if ref.hasPrefix("@") {
            let handle = String(ref.dropFirst()).lowercased()
            found = Handle.isValid(handle) ? try await profiles.find(handle: handle) : nil
        } else {
            found = (1...200).contains(ref.count) ? try await profiles.find(user: ref) : nil
        }
        guard let found else { throw APIError.notFound("No user '\(ref.prefix(60))'.") }
        return found
    }
}

/// `GET /users/resolve`.
struct HandleResolution: Codable, Sendable {
    let data: [ResolvedHandle]
    let unknown: [String]
}
