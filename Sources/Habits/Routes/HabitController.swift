import FlotillaKit
import HTTPTypes
import Hummingbird
import Prometheus

/// `POST/GET /habits`, `GET/PATCH/DELETE /habits/{id}`, `POST /habits/{id}/archive` and
/// `/unarchive`, for the habit's owner (admins may read).
struct HabitController: Sendable {
    let habits: HabitRepository
    let access: HabitAccess
    let cache: HabitsCache
    let clock: HabitClock
    let metrics: HabitsMetrics

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/habits", use: create)
        group.get("/habits", use: list)
        group.get("/habits/{id}", use: show)
        group.patch("/habits/{id}", use: update)
        group.delete("/habits/{id}", use: delete)
        group.post("/habits/{id}/archive", use: archive)
        group.post("/habits/{id}/unarchive", use: unarchive)
    }

    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let input = try await request.decodeJSON(as: HabitInput.self, context: context)
        try input.validate(creating: true, zones: clock.zones)
        let habit = try await habits.create(owner: principal.subject, input: input, today: clock.today(in: input.timezone.value ?? "UTC"))
        metrics.activeHabits.increment()
        await cache.invalidate(owner: habit.ownerID)
        var response = JSONResponse.make(habit, status: .created)
        response.headers[.location] = "/habits/\(habit.id)"
        return response
    }

    /// `?archived=false|true|all` (default false), `search`, `limit`, `offset`; admins may
    /// add `user_id` to list another user's habits.
    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let page = PageRequest(&query, defaultLimit: 20, maxLimit: 100)
        let archived = query.choice("archived", in: ["false", "true", "all"]) ?? "false"
        let search = query.string("search", maxLength: 100)
        let owner = query.string("user_id", maxLength: 200) ?? principal.subject
        try query.validate()
        if owner != principal.subject && !principal.isAdmin {
            throw APIError.forbidden("Only admins may list another user's habits.")
        }
        let key = "list:\(archived):\(page.limit):\(page.offset):\(search ?? "")"
        let lookup = try await cache.value(owner: owner, key: key, as: HabitPage.self) {
            let (found, total) = try await habits.list(
                owner: owner, archived: archived == "all" ? nil : archived == "true", search: search, page: page)
            return HabitPage(data: found, pagination: page.info(total: total))
        }
        return cache.response(lookup)
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(try await access.habit(context, for: .read).habit)
    }

    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (habit, _) = try await access.habit(context, for: .write)
        let input = try await request.decodeJSON(as: HabitInput.self, context: context)
        try input.validate(creating: false, zones: clock.zones)
        guard let updated = try await habits.update(habit.id, with: input) else { throw HabitAccess.notFound(habit.id) }
        await cache.invalidate(owner: habit.ownerID)
        return JSONResponse.make(updated)
    }

    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (habit, _) = try await access.habit(context, for: .write)
        guard try await habits.delete(habit.id) else { throw HabitAccess.notFound(habit.id) }
        (habit.isArchived ? metrics.archivedHabits : metrics.activeHabits).decrement()
        await cache.invalidate(owner: habit.ownerID)
        return Response(status: .noContent)
    }

    @Sendable func archive(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (habit, _) = try await access.habit(context, for: .write)
        let archived = try await habits.archive(habit, today: clock.today(in: habit.timezone))
        if !habit.isArchived {
            metrics.activeHabits.decrement()
            metrics.archivedHabits.increment()
        }
        await cache.invalidate(owner: habit.ownerID)
        return JSONResponse.make(archived)
    }

    @Sendable func unarchive(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (habit, _) = try await access.habit(context, for: .write)
        let active = try await habits.unarchive(habit, today: clock.today(in: habit.timezone))
        if habit.isArchived {
            metrics.archivedHabits.decrement()
            metrics.activeHabits.increment()
        }
        await cache.invalidate(owner: habit.ownerID)
        return JSONResponse.make(active)
    }
}
