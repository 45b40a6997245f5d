import FlotillaKit
import Hummingbird

/// Build the notifications application; used by `main` and by the tests. Throws when the
/// templates do not load (a template naming a variable its kind lacks, say).
func buildApplication(_ configuration: NotificationsConfiguration, httpClient: FlotillaHTTPClient? = nil) throws -> FlotillaApplication {
    let templates = try NotificationTemplates.load(overridesIn: configuration.templatesDirectory)
    let service = DataService(configuration.base, migrations: NotificationsApp.migrations, httpClient: httpClient)
    let runtime = service.runtime
    let zones = ZoneInfoDatabase.system
    let metrics = NotificationsMetrics(registry: runtime.metrics)
    let notifier = Notifier(templates: templates, appName: configuration.appName, zones: zones, metrics: metrics)
    let reminders = ReminderRepository(pool: service.pool, zones: zones)
    service.publishEvents()
    service.consumeEvents(from: NotificationEventHandlers.sources, handlers: NotificationEventHandlers(notifier: notifier, reminders: reminders).handlers)

    let transport: any EmailTransport = configuration.smtp.map { SMTPTransport(client: SMTPClient(configuration: $0)) }
        ?? MailDirectoryTransport(directory: configuration.mailDirectory)
    let dispatcher = EmailDispatcher(
        pool: service.pool, transport: transport, fromAddress: configuration.fromAddress, maxAttempts: configuration.maxEmailAttempts,
        retryDelay: configuration.emailRetryDelay, pollInterval: configuration.pollInterval, metrics: metrics, logger: runtime.logger)
    let scheduler = ReminderScheduler(
        pool: service.pool, notifier: notifier, zones: zones, pollInterval: configuration.pollInterval, metrics: metrics, logger: runtime.logger)

    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json, eventCatalogueJSON: EmbeddedEventCatalogue.json)
    let authenticated = service.authenticated(router)
    // Literal paths (/notifications/preferences, /unread-count) before /notifications/{id}.
    PreferencesController(pool: service.pool, zones: zones).addRoutes(to: authenticated)
    InboxController(inbox: InboxRepository(pool: service.pool)).addRoutes(to: authenticated)
    InternalNotifyController(pool: service.pool, notifier: notifier).addRoutes(to: authenticated)
    ReminderController(reminders: reminders, zones: zones).addRoutes(to: authenticated)
    let digests = Digests(pool: service.pool, templates: templates, appName: configuration.appName)
    let digestCloser = PeriodicTask("digests", every: configuration.pollInterval, logger: runtime.logger) {
        try await digests.closeDue(zones: zones)
    }
    return service.makeApplication(router: router, services: [dispatcher, scheduler, digestCloser])
}
