/// The rules of one IANA time zone (`Europe/Berlin`), read from a compiled TZif file
/// (RFC 8536): its UTC offset at any instant, and so the local date an instant falls on.
///
/// Instants are whole seconds since 1970-01-01T00:00:00Z. Past the file's last transition
/// the POSIX rule in its footer (e.g. `CET-1CEST,M3.5.0,M10.5.0/3`) takes over, so slim
/// files and dates after 2037 are handled.
public struct ZoneInfo: Sendable, Equatable {
    /// The IANA name, e.g. `America/New_York`.
    public let identifier: String
    /// Transition instants, ascending, and the UTC offset in force from each.
    let transitions: [Int64]
    let offsetsAfterTransition: [Int]
    /// Offset before the first transition.
    let initialOffset: Int
    /// The footer's rule for instants after the last transition, when there is one.
    let rule: PosixTimeZoneRule?

    /// UTC itself.
    public static let utc = ZoneInfo(identifier: "UTC", transitions: [], offsetsAfterTransition: [], initialOffset: 0, rule: nil)

    init(identifier: String, transitions: [Int64], offsetsAfterTransition: [Int], initialOffset: Int, rule: PosixTimeZoneRule?) {
        self.identifier = identifier
        self.transitions = transitions
        self.offsetsAfterTransition = offsetsAfterTransition
        self.initialOffset = initialOffset
        self.rule = rule
    }

    /// Parse the TZif `bytes` (version 1, 2 or 3) of zone `identifier`.
    public init(identifier: String, tzif bytes: [UInt8]) throws(ZoneInfoError) {
        var reader = TZifReader(bytes: bytes)
        let first = try reader.header()
        guard first.version >= 2 else {
            let block = try reader.block(first, timeSize: 4)
            self.init(identifier: identifier, block: block, rule: nil)
            return
        }
        try reader.skip(first.blockSize(timeSize: 4))
        let second = try reader.header()
        let block = try reader.block(second, timeSize: 8)
        let footer = reader.footer()
        self.init(identifier: identifier, block: block, rule: footer.flatMap(PosixTimeZoneRule.init))
    }

    private init(identifier: String, block: TZifReader.Block, rule: PosixTimeZoneRule?) {
        self.init(
            identifier: identifier, transitions: block.transitions,
            offsetsAfterTransition: block.typeIndices.map { block.offsets[Int($0)] },
            initialOffset: block.offsets.first ?? 0, rule: rule)
    }

    /// Seconds to add to UTC to get local time at `instant`.
    public func secondsFromUTC(at instant: Int64) -> Int {
        guard let last = transitions.last else { return rule?.secondsFromUTC(at: instant) ?? initialOffset }
        if instant >= last, let rule { return rule.secondsFromUTC(at: instant) }
        // The last transition at or before `instant`.
        var low = 0, high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? initialOffset : offsetsAfterTransition[low - 1]
    }

    /// The local date at `instant` in this zone.
    public func localDate(at instant: Int64) -> LocalDate {
        let local = instant + Int64(secondsFromUTC(at: instant))
        return LocalDate(daysSinceEpoch: Int(local.floorDivided(by: 86_400)))
    }

    /// The local minute of the day (0–1439) at `instant`.
    public func minuteOfDay(at instant: Int64) -> Int {
        let local = instant + Int64(secondsFromUTC(at: instant))
        return Int((local - local.floorDivided(by: 86_400) * 86_400) / 60)
    }

    /// The instant the local clock shows `minute` (0–1439) on `date`. A time skipped by a
    /// DST change (02:30 on a spring-forward night) is taken as the same offset as before the
    /// change, i.e. an hour later on the clock; a repeated time is its first occurrence.
    public func instant(on date: LocalDate, minute: Int) -> Int64 {
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(minute) * 60
        let before = local - Int64(secondsFromUTC(at: local - 86_400))
        let first = local - Int64(secondsFromUTC(at: before))
        // Where the two offsets around the wall time disagree, prefer the earlier instant that maps back to it.
        let candidates = [before, first].sorted()
        for candidate in candidates where candidate + Int64(secondsFromUTC(at: candidate)) == local { return candidate }
        return before
    }
}

/// Why a zone could not be read.
public struct ZoneInfoError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

/// A cursor over TZif bytes.
private struct TZifReader {
    struct Header {
        let version: Int
        let isUTCCount, isStandardCount, leapCount, timeCount, typeCount, characterCount: Int

        func blockSize(timeSize: Int) -> Int {
            timeCount * timeSize + timeCount + typeCount * 6 + characterCount + leapCount * (timeSize + 4) + isStandardCount + isUTCCount
        }
    }

    struct Block {
        let transitions: [Int64]
        let typeIndices: [UInt8]
        let offsets: [Int]
    }

    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func header() throws(ZoneInfoError) -> Header {
        guard bytes.count >= position + 44, bytes[position..<position + 4].elementsEqual("TZif".utf8) else {
            throw ZoneInfoError(description: "not a TZif file")
        }
        let versionByte = bytes[position + 4]
        let version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
        position += 20
        var counts = [Int]()
        for _ in 0..<6 { counts.append(Int(try integer(size: 4))) }
        return Header(
            version: version, isUTCCount: counts[0], isStandardCount: counts[1], leapCount: counts[2],
            timeCount: counts[3], typeCount: counts[4], characterCount: counts[5])
    }

    mutating func block(_ header: Header, timeSize: Int) throws(ZoneInfoError) -> Block {
        guard header.typeCount > 0, bytes.count >= position + header.blockSize(timeSize: timeSize) else {
            throw ZoneInfoError(description: "truncated TZif data")
        }
        var transitions = [Int64]()
        for _ in 0..<header.timeCount { transitions.append(try integer(size: timeSize)) }
        let typeIndices = Array(bytes[position..<position + header.timeCount])
        position += header.timeCount
        guard typeIndices.allSatisfy({ Int($0) < header.typeCount }) else { throw ZoneInfoError(description: "bad local time type index") }
        var offsets = [Int]()
        for _ in 0..<header.typeCount {
            offsets.append(Int(try integer(size: 4)))
            position += 2  // isdst, abbreviation index
        }
        try skip(header.characterCount + header.leapCount * (timeSize + 4) + header.isStandardCount + header.isUTCCount)
        return Block(transitions: transitions, typeIndices: typeIndices, offsets: offsets)
    }

    /// The POSIX TZ string between the newlines after the version 2+ data.
    func footer() -> String? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\n") else { return nil }
        let rest = bytes[(position + 1)...]
        guard let end = rest.firstIndex(of: UInt8(ascii: "\n")), end > position + 1 else { return nil }
        return String(decoding: rest[..<end], as: UTF8.self)
    }

    mutating func skip(_ count: Int) throws(ZoneInfoError) {
        guard bytes.count >= position + count else { throw ZoneInfoError(description: "truncated TZif data") }
        position += count
    }

    /// A big-endian signed integer of `size` bytes.
    mutating func integer(size: Int) throws(ZoneInfoError) -> Int64 {
        guard bytes.count >= position + size else { throw ZoneInfoError(description: "truncated TZif data") }
        var value: UInt64 = 0
        for byte in bytes[position..<position + size] { value = value << 8 | UInt64(byte) }
        position += size
        return size == 4 ? Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: value))) : Int64(bitPattern: value)
    }
}
