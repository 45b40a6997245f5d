import Testing

@testable import FlotillaKit

@Suite("LocalDate and ZoneInfo")
struct ZoneInfoTests {
    static let zones = ZoneInfoDatabase.system

    @Test func localDateArithmetic() throws {
        let date = try #require(LocalDate("2024-02-28"))
        #expect(date.adding(days: 1).description == "2024-02-29")
        #expect(date.adding(days: 2).description == "2024-03-01")
        #expect(LocalDate("1970-01-01")?.daysSinceEpoch == 0)
        #expect(LocalDate("1969-12-31")?.daysSinceEpoch == -1)
        #expect(LocalDate("2024-06-10")?.weekday == .monday)
        #expect(LocalDate("2024-06-16")?.weekday == .sunday)
        #expect(LocalDate("2024-06-16")?.startOfWeek.description == "2024-06-10")
        #expect(LocalDate("1969-12-31")?.weekday == .wednesday)
        for text in ["2024-2-28", "2024-02-30", "2023-02-29", "2024-13-01", "0000-01-01", "20240228", "2024-02-28T00:00", "２０２４-02-28", ""] {
            #expect(LocalDate(text) == nil, "\(text)")
        }
        // Round trip over four centuries.
        for days in stride(from: -150_000, through: 150_000, by: 997) {
            let date = LocalDate(daysSinceEpoch: days)
            #expect(LocalDate(date.description)?.daysSinceEpoch == days)
        }
    }

    @Test(arguments: [
        ("America/New_York", 1_710_053_999, -18_000), ("America/New_York", 1_710_054_000, -14_400),  // 2024-03-10 07:00Z
        ("America/New_York", 1_730_613_599, -14_400), ("America/New_York", 1_730_613_600, -18_000),  // 2024-11-03 06:00Z
        ("Europe/Berlin", 1_711_846_799, 3600), ("Europe/Berlin", 1_711_846_800, 7200),  // 2024-03-31 01:00Z
        ("Europe/Berlin", 1_729_990_799, 7200), ("Europe/Berlin", 1_729_990_800, 3600),  // 2024-10-27 01:00Z
        ("Pacific/Kiritimati", 1_704_067_200, 50_400), ("Australia/Lord_Howe", 1_705_276_800, 39_600),
        ("Australia/Lord_Howe", 1_719_792_000, 37_800), ("Asia/Kolkata", 1_704_067_200, 19_800),
        // Dublin's winter time is its "negative DST".
        ("Europe/Dublin", 1_705_276_800, 0), ("Europe/Dublin", 1_719_792_000, 3600),
        // After 2037 only the footer rule knows: 2050-07-01 and 2050-01-15.
        ("America/New_York", 2_540_246_400, -14_400), ("America/New_York", 2_525_817_600, -18_000),
        ("Europe/Berlin", 2_540_246_400, 7200), ("Europe/Dublin", 2_525_817_600, 0), ("Australia/Sydney", 2_525_817_600, 39_600),
    ])
    func offsets(zone: String, instant: Int64, expected: Int) throws {
        let info = try #require(Self.zones.zone(zone))
        #expect(info.secondsFromUTC(at: instant) == expected)
    }

    /// The footer's POSIX rule must agree with the file's explicit transitions wherever both
    /// speak (Debian's files list transitions up to 2037). Not for zones whose listed
    /// transitions follow no yearly rule (Casablanca's follow Ramadan).
    @Test(arguments: ["America/New_York", "Europe/Berlin", "Europe/Dublin", "Australia/Sydney", "Australia/Lord_Howe",
                      "America/Santiago", "Pacific/Auckland", "America/Godthab", "Asia/Tehran"])
    func footerRuleAgreesWithTransitions(zone: String) throws {
        let info = try #require(Self.zones.zone(zone))
        guard let rule = info.rule else { return }
        let from: Int64 = 1_767_225_600  // 2026-01-01
        for transition in info.transitions where transition > from {
            for instant in [transition - 1, transition, transition + 3600] {
                #expect(rule.secondsFromUTC(at: instant) == info.secondsFromUTC(at: instant), "\(zone) at \(instant)")
            }
        }
    }

    @Test func namesAreCheckedBeforeAnyFileIsRead() {
        #expect(Self.zones.zone("Europe/Berlin") != nil)
        #expect(Self.zones.zone("UTC") != nil)
        for name in ["../../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd", "Mars/Olympus", "", "posix/Europe/Berlin",
                     "right/Europe/Berlin", "Europe//Berlin", "zone.tab", "Europe/Berlin\u{0}", "tzdata.zi"] {
            #expect(Self.zones.zone(name) == nil, "\(name)")
        }
    }

    @Test func posixRulesParse() throws {
        let sydney = try #require(PosixTimeZoneRule("AEST-10AEDT,M10.1.0,M4.1.0/3"))
        #expect(sydney.standardOffset == 36_000 && sydney.daylightOffset == 39_600)
        let fixed = try #require(PosixTimeZoneRule("<+14>-14"))
        #expect(fixed.secondsFromUTC(at: 0) == 50_400)
        let godthab = try #require(PosixTimeZoneRule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0"))
        #expect(godthab.standardOffset == -7200)
        for bad in ["", "EST", "E5", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "<+14"] {
            #expect(PosixTimeZoneRule(bad) == nil, "\(bad)")
        }
    }
}
