/// A condition a test waited for that did not come true within its ceiling.
public struct ConditionNotMet: Error, CustomStringConvertible {
    public let condition: String
    public let ceiling: Duration
    public var description: String { "\(condition): not true within \(ceiling)" }
}

/// Wait until `condition` holds, polling every `interval`; throws ``ConditionNotMet`` once
/// `ceiling` passes. The ceiling is generous by default: it bounds a hang, it is not what
/// the test checks, so a loaded machine only makes the wait longer, never the test fail.
public func waitUntil(
    _ condition: String,
    ceiling: Duration = .seconds(60),
    interval: Duration = .milliseconds(20),
    _ check: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + ceiling
    while try await !check() {
        guard ContinuousClock.now < deadline else { throw ConditionNotMet(condition: condition, ceiling: ceiling) }
        try await Task.sleep(for: interval)
    }
}
