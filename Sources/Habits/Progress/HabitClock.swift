import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What day it is in a habit's time zone. The only place the service reads the clock, so
/// tests can move it.
struct HabitClock: Sendable {
    let zones: ZoneInfoDatabase
    let now: @Sendable () -> Date

    static let system = HabitClock(zones: .system, now: { Date() })

    /// Today in `timezone`; UTC's day when the zone is unknown on this machine (the name
    /// was valid when stored, so only a missing time zone database can cause that).
    func today(in timezone: String) -> LocalDate {
        let zone = zones.zone(timezone) ?? .utc
        return zone.localDate(at: Int64(now().timeIntervalSince1970.rounded(.down)))
    }
}
