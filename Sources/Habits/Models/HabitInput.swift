import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of `POST /habits` and `PATCH /habits/{id}`. Every field is optional here so one
/// pass can name each bad field; for PATCH, an explicit `null` clears an optional field
/// (``Field/clear``) while a missing one is left alone.
struct HabitInput: Decodable, Sendable {
    /// A PATCH field: absent, set to `null`, or set to a value.
    enum Field<Value: Sendable>: Sendable {
        case absent, clear, set(Value)

        var value: Value? {
            if case .set(let value) = self { return value }
            return nil
        }
    }

    var name: Field<String> = .absent
    var description: Field<String> = .absent
    var schedule: Field<HabitSchedule> = .absent
    var target: Field<Int> = .absent
    var unit: Field<String> = .absent
    var reminderTime: Field<String> = .absent
    var timezone: Field<String> = .absent
    var color: Field<String> = .absent
    var icon: Field<String> = .absent
    /// Problems found while decoding (a wrong type, a bad schedule), by field.
    private(set) var decodingProblems: [String: String] = [:]

    private enum Key: String, CodingKey, CaseIterable {
        case name, description, schedule, target, unit, timezone, color, icon
        case reminderTime = "reminder_time"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func field<Value: Decodable & Sendable>(_ key: Key, _ type: Value.Type) -> Field<Value> {
            guard container.contains(key) else { return .absent }
            if (try? container.decodeNil(forKey: key)) == true { return .clear }
            do {
                return .set(try container.decode(Value.self, forKey: key))
            } catch let DecodingError.dataCorrupted(context) {
                decodingProblems[key.rawValue] = context.debugDescription.replacing("schedule.", with: "")
            } catch let DecodingError.keyNotFound(missing, _) {
                decodingProblems[key.rawValue] = "needs \(missing.stringValue)"
            } catch {
                decodingProblems[key.rawValue] = Value.self == Int.self ? "must be an integer" : "has the wrong type"
            }
            return .absent
        }
        name = field(.name, String.self)
        description = field(.description, String.self)
        schedule = field(.schedule, HabitSchedule.self)
        target = field(.target, Int.self)
        unit = field(.unit, String.self)
        reminderTime = field(.reminderTime, String.self)
        timezone = field(.timezone, String.self)
        color = field(.color, String.self)
        icon = field(.icon, String.self)
    }

    var isEmpty: Bool {
        [name.isAbsent, description.isAbsent, schedule.isAbsent, target.isAbsent, unit.isAbsent, reminderTime.isAbsent,
         timezone.isAbsent, color.isAbsent, icon.isAbsent].allSatisfy { $0 } && decodingProblems.isEmpty
    }

    /// 400 `validation_failed` naming every bad field; `creating` requires `name` and
    /// refuses `null` for required fields.
    func validate(creating: Bool, zones: ZoneInfoDatabase) throws(APIError) {
        if !creating && isEmpty {
            throw APIError(.badRequest, code: "validation_failed", message: "Send at least one field to change.")
        }
        var problems = decodingProblems
        func text(_ name: String, _ field: Field<String>, max: Int, required: Bool = false) {
            switch field {
            case .absent: if required && creating && problems[name] == nil { problems[name] = "is required" }
            case .clear: if required { problems[name] = "cannot be null" }
            case .set(let value):
                let trimmed = value.trimmingWhitespace()
                if trimmed.isEmpty || trimmed.count > max { problems[name] = "must be 1 to \(max) characters" }
            }
        }
        text("name", name, max: 100, required: true)
        text("description", description, max: 500)
        text("unit", unit, max: 30)
        text("icon", icon, max: 50)
        if case .clear = schedule { problems["schedule"] = "cannot be null" }
        switch target {
        case .clear: problems["target"] = "cannot be null"
        case .set(let value) where !(1...100_000).contains(value): problems["target"] = "must be an integer from 1 to 100000"
        default: break
        }
        if let time = reminderTime.value, !Self.isClockTime(time) {
            problems["reminder_time"] = "must be a 24-hour local time HH:MM, such as 07:30"
        }
        switch timezone {
        case .clear: problems["timezone"] = "cannot be null"
        case .set(let identifier) where zones.zone(identifier) == nil:
            problems["timezone"] = "'\(identifier.prefix(64))' is not an IANA time zone, such as Europe/Berlin or America/New_York"
        default: break
        }
        if let color = color.value, !Self.isHexColor(color) { problems["color"] = "must be #rrggbb in lower-case hex, such as #4caf50" }
        guard !problems.isEmpty else { return }
        throw APIError.invalidFields(problems)
    }

    static func isClockTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return false }
        return hour < 24 && minute < 60
    }

    static func isHexColor(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy { $0.isASCIIDigit || ("a"..."f").contains($0) }
    }
}

extension HabitInput.Field {
    var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }
}
