import FlotillaKit
import Foundation
import Testing

@testable import Notifications

/// The shipped templates, overrides checked at load, and the emails they become.
@Suite("notifications: templates and email messages")
struct TemplateAndMessageTests {
    @Test func shippedTemplatesRenderEveryKind() throws {
        let templates = try NotificationTemplates.load()
        let values: [String: Any] = [
            "name": "Ada <Lovelace>", "app_name": "Flotilla", "title": "Stretch", "body": "Time to stretch.", "local_time": "07:30", "order_id": "ord_1", "total": "2001.10",
            "items": [["product_id": "w1", "quantity": "2", "unit_price": "1000.10", "line_total": "2000.20"]],
        ]
        #expect(templates.render(.orderConfirmation, .emailSubject, values) == "Your order ord_1")
        let text = templates.render(.orderConfirmation, .emailText, values)
        #expect(text.contains("2 × w1 at 1000.10: 2000.20") && text.contains("Total: 2001.10"))
        #expect(text.contains("Hi Ada <Lovelace>,"), "plain text is not HTML-escaped")
        #expect(templates.render(.orderConfirmation, .emailHTML, values).contains("Hi Ada &lt;Lovelace&gt;,"), "HTML is escaped")
        for kind in NotificationKind.all {
            for part in TemplatePart.allCases {
                #expect(!templates.render(kind, part, values).isEmpty, "\(kind.name).\(part.rawValue)")
            }
        }
    }

    @Test func anOverrideNamingAMissingVariableIsRefusedAtLoad() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "Hello {{{nmae}}}".write(toFile: "\(directory)/welcome.email.subject.mustache", atomically: true, encoding: .utf8)
        let error = try #require(throws: TemplateError.self) { try NotificationTemplates.load(overridesIn: directory) }
        #expect(error.description.contains("welcome.email.subject") && error.description.contains("nmae"))

        try "Hello {{{name}}}".write(toFile: "\(directory)/welcome.email.subject.mustache", atomically: true, encoding: .utf8)
        let templates = try NotificationTemplates.load(overridesIn: directory)
        #expect(templates.render(.welcome, .emailSubject, ["name": "Ada"]) == "Hello Ada")

        try "x".write(toFile: "\(directory)/welcome.fax.mustache", atomically: true, encoding: .utf8)
        #expect(throws: TemplateError.self) { try NotificationTemplates.load(overridesIn: directory) }
    }

    @Test func variablesAreReadFromEveryTagKind() {
        let names = NotificationTemplates.variables(in: "{{a}} {{{b}}} {{&c}} {{#d}}{{e.f}}{{/d}} {{^g}}{{/g}} {{! note }} {{> partial}} {{.}}")
        #expect(names == ["a", "b", "c", "d", "e", "g"])
    }

    @Test func anEmailIsMIMEWithEncodedHeaders() throws {
        let message = EmailMessage(
            from: "Flotilla <no-reply@flotilla.local>", to: "ada@example.com", subject: "Héllo — 7 days!", text: "Plain ✓",
            html: "<p>HTML ✓</p>", messageID: "abc-123@flotilla", date: Date(timeIntervalSince1970: 1_796_548_800))
        let text = message.rfc5322()
        #expect(text.contains("Subject: =?UTF-8?B?"))
        #expect(text.contains("Date: Sun, 06 Dec 2026 09:20:00 +0000"))
        #expect(text.contains("Message-ID: <abc-123@flotilla>"))
        #expect(text.contains("multipart/alternative") && text.contains("text/plain; charset=UTF-8") && text.contains("text/html; charset=UTF-8"))
        #expect(text.contains(Data("Plain ✓".utf8).base64EncodedString()))
        let bytes = Array(text.utf8)
        #expect(bytes.indices.allSatisfy { bytes[$0] != 10 || ($0 > 0 && bytes[$0 - 1] == 13) }, "CRLF line ends only")
    }

    @Test func rfc3339Parsing() {
        #expect(RFC3339.parse("2026-12-06T09:30:00Z")?.timeIntervalSince1970 == 1_796_549_400)
        #expect(RFC3339.parse("2026-12-06T10:30:00+01:00")?.timeIntervalSince1970 == 1_796_549_400)
        #expect(RFC3339.parse("2026-12-06T09:30:00.250Z")?.timeIntervalSince1970 == 1_796_549_400.25)
        for bad in ["2026-12-06", "2026-12-06T09:30:00", "2026-13-06T09:30:00Z", "2026-12-06T25:30:00Z", "soon", "2026-12-06T09:30:00+0100"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }
}
