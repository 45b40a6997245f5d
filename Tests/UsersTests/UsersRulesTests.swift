import FlotillaKit
import Testing

@testable import Users

/// The users service's pure rules as tables: handles, preferences, locales and avatar URLs.
@Suite("users: rules")
struct UsersRulesTests {
    @Test(arguments: [
        ("ada@example.com", "ada"), ("Ada.Lovelace+work@example.com", "ada-lovelace"), ("o'brien@x.io", "o-brien"),
        ("__@x.io", "user"), ("Zoë@x.io", "zo"), ("a..b--c@x.io", "a-b-c"),
        ("very.long.local.part.that.goes.on.and.on.forever@x.io", "very-long-local-part-that-goes-on"),
    ])
    func handlesFromEmails(_ email: String, _ handle: String) {
        #expect(Handle.base(fromEmail: email) == handle)
        #expect(Handle.isValid(Handle.base(fromEmail: email)))
    }

    @Test(arguments: [
        ("a", true), ("ada_l", true), ("ada-2", true), (String(repeating: "a", count: 39), true),
        ("", false), ("-ada", false), ("ada_", false), ("Ada", false), ("ad a", false), ("adà", false), (String(repeating: "a", count: 40), false),
    ])
    func handleShapes(_ handle: String, _ valid: Bool) {
        #expect(Handle.isValid(handle) == valid)
    }

    @Test func handleCandidatesCountUp() {
        #expect(Handle.candidates(from: "ada", count: 3) == ["ada", "ada-2", "ada-3"])
    }

    @Test(arguments: [
        ("en", true), ("de-DE", true), ("pt-BR", true), ("zh-Hant-TW", true), ("es-419", true), ("sr-Latn", true),
        ("EN", false), ("english", false), ("de_DE", false), ("de-de", false), ("en-", false), ("en-US-x", false),
    ])
    func locales(_ tag: String, _ valid: Bool) {
        #expect(ProfileRules.isLocale(tag) == valid)
    }

    @Test(arguments: [
        ("https://cdn.example.com/a.png", true), ("HTTP://x.io", true), ("javascript:alert(1)", false), ("https://", false),
        ("https:// x.io", false), ("ftp://x.io/a", false), ("https://x.io/\"onload", false),
    ])
    func avatarURLs(_ url: String, _ valid: Bool) {
        #expect(ProfileRules.isAvatarURL(url) == valid)
    }

    @Test func preferencesMergeAsJSONMergePatch() throws {
        let stored: [String: JSONValue] = ["theme": "dark", "default_project": "WEB"]
        #expect(try Preferences.merge(["theme": .null, "week_start": "sunday"], into: stored) == ["default_project": "WEB", "week_start": "sunday"])
        #expect(Preferences.effective(["theme": "dark"]) == ["theme": "dark", "week_start": "monday", "date_format": "YYYY-MM-DD"])
        #expect(throws: APIError.self) { try Preferences.merge(["theme": 1], into: [:]) }
        do {
            _ = try Preferences.merge(["theme": "neon", "font": "serif", "week_start": "monday"], into: stored)
            Issue.record("bad preferences were accepted")
        } catch {
            guard case .object(let fields)? = error.details?["fields"] else {
                Issue.record("no fields in \(error)")
                return
            }
            #expect(Set(fields.keys) == ["theme", "font"])
        }
    }

    @Test func organizationRolesAreOrdered() {
        #expect(OrganizationRole.guest < .member && OrganizationRole.member < .admin && OrganizationRole.admin < .owner)
        #expect(OrganizationRole.listed == ["owner", "admin", "member", "guest"])
        let rules = MembershipRules<OrganizationRole>(group: "organization", transferRoute: "POST /organizations/{slug}/transfer")
        #expect(rules.refusal(actor: "a", actorRole: .admin, target: "b", change: .setRole(from: .guest, to: .member), owners: 1) == nil)
        #expect(rules.refusal(actor: "a", actorRole: .owner, target: "a", change: .remove(.owner), owners: 1)?.code == "last_owner")
    }
}
