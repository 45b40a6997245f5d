import FlotillaKit
import Testing

/// ``MembershipRules`` as a table on the project ladder: who may make which change, and the
/// last-owner rule (organizations use the same rules on their own ladder).
@Suite("kit: membership rules")
struct MembershipRulesTests {
    typealias Change = MembershipRules<ProjectRole>.Change
    static let rules = MembershipRules<ProjectRole>(group: "project", transferRoute: "POST /projects/{key}/transfer")

    struct Case: Sendable, CustomTestStringConvertible {
        let actor: ProjectRole
        let isSelf: Bool
        let change: Change
        let owners: Int
        /// nil: allowed; else the refusal's error code.
        let refusal: String?

        var testDescription: String { "\(actor) \(isSelf ? "on self" : "on other") \(change) with \(owners) owner(s)" }
    }

    static let cases: [Case] = [
        // Admins manage members and viewers, never owners.
        Case(actor: .admin, isSelf: false, change: .add(.member), owners: 1, refusal: nil),
        Case(actor: .admin, isSelf: false, change: .add(.admin), owners: 1, refusal: nil),
        Case(actor: .admin, isSelf: false, change: .add(.owner), owners: 1, refusal: "forbidden"),
        Case(actor: .admin, isSelf: false, change: .setRole(from: .viewer, to: .member), owners: 1, refusal: nil),
        Case(actor: .admin, isSelf: false, change: .setRole(from: .owner, to: .admin), owners: 2, refusal: "forbidden"),
        Case(actor: .admin, isSelf: false, change: .remove(.member), owners: 1, refusal: nil),
        Case(actor: .admin, isSelf: false, change: .remove(.owner), owners: 2, refusal: "forbidden"),
        // Members and viewers manage nobody else.
        Case(actor: .member, isSelf: false, change: .remove(.viewer), owners: 1, refusal: "forbidden"),
        Case(actor: .member, isSelf: false, change: .add(.viewer), owners: 1, refusal: "forbidden"),
        Case(actor: .viewer, isSelf: false, change: .setRole(from: .member, to: .viewer), owners: 1, refusal: "forbidden"),
        // Anyone may leave...
        Case(actor: .viewer, isSelf: true, change: .remove(.viewer), owners: 1, refusal: nil),
        Case(actor: .member, isSelf: true, change: .remove(.member), owners: 1, refusal: nil),
        Case(actor: .owner, isSelf: true, change: .remove(.owner), owners: 2, refusal: nil),
        // ...but not to raise their own role.
        Case(actor: .member, isSelf: true, change: .setRole(from: .member, to: .admin), owners: 1, refusal: "forbidden"),
        // The last owner can neither leave nor be demoted, not even by themselves.
        Case(actor: .owner, isSelf: true, change: .remove(.owner), owners: 1, refusal: "last_owner"),
        Case(actor: .owner, isSelf: true, change: .setRole(from: .owner, to: .admin), owners: 1, refusal: "last_owner"),
        Case(actor: .owner, isSelf: false, change: .setRole(from: .owner, to: .member), owners: 1, refusal: "last_owner"),
        // Owners do everything else.
        Case(actor: .owner, isSelf: false, change: .add(.owner), owners: 1, refusal: nil),
        Case(actor: .owner, isSelf: false, change: .setRole(from: .owner, to: .admin), owners: 2, refusal: nil),
        Case(actor: .owner, isSelf: false, change: .remove(.owner), owners: 2, refusal: nil),
    ]

    @Test(arguments: cases)
    func rule(_ rule: Case) {
        let refusal = Self.rules.refusal(
            actor: "actor", actorRole: rule.actor, target: rule.isSelf ? "actor" : "other", change: rule.change, owners: rule.owners)
        #expect(refusal?.code == rule.refusal, "\(refusal?.message ?? "allowed")")
    }

    @Test func theLastOwnerMessageNamesTheGroupAndHowToTransfer() {
        let message = Self.rules.lastOwner.message
        #expect(message.contains("A project keeps at least one owner") && message.contains("POST /projects/{key}/transfer"))
    }

    @Test(arguments: [
        // (held, needed, platform admin) → nil when allowed, else the refusal's code
        (ProjectRole?.some(.viewer), ProjectRole.viewer, false, String?.none), (.member, .admin, false, "forbidden"),
        (.owner, .admin, false, nil), (nil, .viewer, false, "not_found"), (nil, .viewer, true, nil), (nil, .member, true, "not_found"),
    ])
    func standingInAGroup(_ held: ProjectRole?, _ needed: ProjectRole, _ platformAdmin: Bool, _ refusal: String?) {
        do {
            try ProjectRole.authorize(held: held, needs: needed, isPlatformAdmin: platformAdmin, in: "WEB", notFound: .notFound("No project 'WEB'."))
            #expect(refusal == nil)
        } catch {
            #expect(error.code == refusal, "\(error.message)")
            if error.code == "forbidden" { #expect(error.message.contains("needs \(needed.rawValue)")) }
        }
    }

    @Test func rolesAreOrdered() {
        #expect(ProjectRole.viewer < .member && ProjectRole.member < .admin && ProjectRole.admin < .owner)
        #expect(ProjectRole.listed == ["owner", "admin", "member", "viewer"])
    }
}
