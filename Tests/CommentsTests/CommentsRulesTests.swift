import FlotillaKit
import Foundation
import Testing

@testable import Comments

@Suite("comments: rules")
struct CommentsRulesTests {
    @Test(arguments: [
        ("@bob hi", ["bob"]),
        ("hi @Bob, @bob and @carol.", ["bob", "carol"]),
        ("mail bob@example.com", []),
        ("`@code` and\n```\n@fenced\n```\n@after", ["after"]),
        ("(@paren) [@link](x) @trailing- @_x", ["paren", "link", "trailing"]),
        ("@ alone, @@double", ["double"]),
        ("@\(String(repeating: "a", count: 40))", []),
    ])
    func mentionsAreHandlesOutsideCode(_ markdown: String, _ expected: [String]) {
        #expect(MarkdownText.mentions(in: markdown) == expected)
    }

    @Test func atMostTwentyPeopleAreMentioned() {
        let text = (1...30).map { "@p\($0)" }.joined(separator: " ")
        #expect(MarkdownText.mentions(in: text) == (1...20).map { "p\($0)" })
    }

    @Test(arguments: [
        ("# Title\n\nSome **bold** and _em_ text", "Title Some bold and em text"),
        ("> quoted\n- item [link](https://x.example) ![alt](i.png)", "quoted item link alt"),
        ("```swift\nlet x = 1\n```\nafter `code`", "let x = 1 after code"),
        ("a <b>tag</b> and 1 < 2", "a tag and 1 < 2"),
        ("Wow! Done", "Wow! Done"),
    ])
    func plainTextDropsTheMarkup(_ markdown: String, _ expected: String) {
        #expect(MarkdownText.plainText(markdown) == expected)
    }

    @Test func editsWithinTheGracePeriodReplaceAndLaterOnesAreRevisions() {
        let policy = EditPolicy(grace: .seconds(300))
        let posted = Date(timeIntervalSince1970: 1_000_000)
        #expect(policy.decide(createdAt: posted, now: posted.addingTimeInterval(299), latestRevision: nil) == .replace)
        #expect(policy.decide(createdAt: posted, now: posted.addingTimeInterval(300), latestRevision: nil) == .revise(number: 1))
        #expect(policy.decide(createdAt: posted, now: posted.addingTimeInterval(10), latestRevision: 2) == .revise(number: 3), "once history exists it is kept")
        #expect(policy.decide(createdAt: posted, now: posted.addingTimeInterval(9_000), latestRevision: 7) == .revise(number: 8))
        #expect(EditPolicy.pruneBelowOrAt(after: 21) == 1 && EditPolicy.pruneBelowOrAt(after: 5) <= 0)
    }
}
