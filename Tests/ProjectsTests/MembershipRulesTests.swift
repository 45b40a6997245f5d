import FlotillaKit
import Testing

@testable import Projects

/// ``MembershipRules`` as a table: who may make which change, and the last-owner rule.
@Suite("projects: membership rules")
struct MembershipRulesTests {
    typealias Change = MembershipRules.Change

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
        let refusal = MembershipRules.refusal(
            actor: "actor", actorRole: rule.actor, target: rule.isSelf ? "actor" : "other", change: rule.change, owners: rule.owners)
        #expect(refusal?.code == rule.refusal, "\(refusal?.message ?? "allowed")")
    }

    @Test func rolesAreOrdered() {
        #expect(ProjectRole.viewer < .member && ProjectRole.member < .admin && ProjectRole.admin < .owner)
        #expect(ProjectRole.listed == ["owner", "admin", "member", "viewer"])
    }
}
