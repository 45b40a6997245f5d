import FlotillaKit
import Logging
import ServiceLifecycle

/// Puts back the stock compensations could not (``RestockQueue``): every `interval` it
/// claims what is due, restocks it with orders' own token, and on failure tries again later,
/// backing off from `interval` to five minutes. Several replicas share the queue safely.
struct RestockRetrier: Service {
    let queue: RestockQueue
    let upstreams: CheckoutUpstreams
    let interval: Duration
    let logger: Logger

    static let maximumBackoff = Duration.seconds(300)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await retryDue()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One pass over the due restocks.
    func retryDue() async {
        let due: [RestockQueue.Pending]
        do {
            due = try await queue.claimDue(limit: 20, lease: .seconds(60))
        } catch {
            logger.warning("restock queue unavailable", metadata: ["error.description": "\(error)"])
            return
        }
        for restock in due {
            do {
                try await upstreams.release(restock.productID, quantity: restock.quantity)
                try await queue.done(restock.id)
                logger.info("queued restock done", metadata: ["product_id": "\(restock.productID)", "quantity": "\(restock.quantity)", "attempts": "\(restock.attempts)"])
            } catch {
                let delay = Self.backoff(after: restock.attempts, base: interval)
                try? await queue.retry(restock.id, after: delay, error: "\(error)")
                logger.warning("queued restock failed", metadata: ["product_id": "\(restock.productID)", "attempts": "\(restock.attempts)", "error.description": "\(error)"])
            }
        }
    }

    /// `base` doubled per failed attempt, at most ``maximumBackoff``.
    static func backoff(after attempts: Int, base: Duration) -> Duration {
        min(maximumBackoff, base * (1 << min(max(attempts - 1, 0), 20)))
    }
}

/// `restock:queue`: warns while restocks wait (stock is low until they succeed) and when
/// orders has no restock credentials at all.
struct RestockQueueHealthCheck: HealthCheck {
    let queue: RestockQueue
    let hasCredentials: Bool
    var name: String { "restock:queue" }
    var criticality: HealthCheckCriticality { .optional }

    func check() async throws -> HealthObservation {
        let waiting = try await queue.count()
        var problems = [String]()
        if !hasCredentials { problems.append("ORDERS_CLIENT_SECRET is not set: stock cannot be put back") }
        if waiting > 0 { problems.append("\(waiting) restock(s) waiting for the catalog") }
        return HealthObservation(
            status: problems.isEmpty ? .pass : .warn, observedValue: .int(waiting),
            output: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }
}
