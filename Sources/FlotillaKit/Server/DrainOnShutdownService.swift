import Logging
import ServiceLifecycle

/// The first service told to shut down. It turns `/ready` to 503 and waits
/// `SHUTDOWN_DRAIN_SECONDS` while the server keeps serving, so Kubernetes stops routing to
/// the pod before its listener closes.
struct DrainOnShutdownService: Service {
    let lifecycle: LifecycleState
    let delay: Duration
    let logger: Logger

    func run() async throws {
        // Suspends until graceful shutdown is triggered; throws if cancelled instead.
        do {
            try await gracefulShutdown()
        } catch {
            return
        }
        lifecycle.beginDraining()
        logger.info("shutdown requested: /ready now answers 503", metadata: ["drain_seconds": "\(delay.components.seconds)"])
        try? await Task.sleep(for: delay)
        logger.info("drain delay over: closing the listener and finishing in-flight requests")
    }
}
