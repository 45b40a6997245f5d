/// Kimai's rounding of a stopped entry's begin and end to a number of minutes, in the
/// owner's local time: `default` rounds the begin down and the end up (never less time than
/// worked), `closest` both to the nearest, `floor` both down, `ceil` both up.
struct Rounding: Codable, Sendable, Equatable {
    enum Mode: String, Codable, Sendable, CaseIterable {
        case `default`, closest, floor, ceil
    }

    let minutes: Int
    let mode: Mode

    /// `start` and `end` (seconds since the epoch) rounded; `offset` is the zone's offset from
    /// UTC at the start, so steps fall on local clock marks (`:00`, `:15`, …). The end never
    /// falls before the start.
    func apply(start: Int64, end: Int64, offset: Int = 0) -> (start: Int64, end: Int64) {
        let step = Int64(max(1, minutes) * 60)
        func down(_ instant: Int64) -> Int64 {
            let local = instant + Int64(offset)
            return local - ((local % step) + step) % step - Int64(offset)
        }
        func up(_ instant: Int64) -> Int64 {
            let floor = down(instant)
            return floor == instant ? instant : floor + step
        }
        func nearest(_ instant: Int64) -> Int64 {
            let floor = down(instant)
            // Half a step or more rounds up, as Kimai does.
            return 2 * (instant - floor) >= step ? floor + step : floor
        }
        let rounded: (Int64, Int64) = switch mode {
        case .default: (down(start), up(end))
        case .closest: (nearest(start), nearest(end))
        case .floor: (down(start), down(end))
        case .ceil: (up(start), up(end))
        }
        return (rounded.0, max(rounded.0, rounded.1))
    }
}
