import Foundation
import Mustache

/// A template that names a variable its kind does not have, or does not parse: refused when
/// the templates load, so a typo is a start-up error, not a blank in a sent email.
struct TemplateError: Error, CustomStringConvertible {
    let template: String
    let problem: String
    var description: String { "template \(template): \(problem)" }
}

/// Every kind's templates, parsed and checked once at start.
struct NotificationTemplates: Sendable {
    private let templates: [String: MustacheTemplate]

    /// The shipped templates, with files `<kind>.<part>.mustache` in `directory` (when given)
    /// replacing them.
    static func load(overridesIn directory: String? = nil) throws -> NotificationTemplates {
        var sources = DefaultTemplates.all
        if let directory {
            for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".mustache") {
                let name = String(file.dropLast(".mustache".count))
                guard sources[name] != nil else { throw TemplateError(template: file, problem: "no notification kind and part is called \(name)") }
                sources[name] = try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)
            }
        }
        return try NotificationTemplates(sources: sources)
    }

    init(sources: [String: String]) throws {
        var templates = [String: MustacheTemplate]()
        for kind in NotificationKind.all {
            for part in TemplatePart.allCases {
                let name = "\(kind.name).\(part.rawValue)"
                guard let source = sources[name] else { throw TemplateError(template: name, problem: "missing") }
                let unknown = Self.variables(in: source).subtracting(kind.variables)
                guard unknown.isEmpty else {
                    throw TemplateError(template: name, problem: "uses \(unknown.sorted().joined(separator: ", ")), which \(kind.name) does not provide (it has \(kind.variables.sorted().joined(separator: ", ")))")
                }
                do {
                    templates[name] = try MustacheTemplate(string: source)
                } catch {
                    throw TemplateError(template: name, problem: "does not parse: \(error)")
                }
            }
        }
        self.templates = templates
    }

    /// Render `part` of `kind` with `values` (strings, numbers, and arrays of dictionaries for sections).
    func render(_ kind: NotificationKind, _ part: TemplatePart, _ values: [String: Any]) -> String {
        templates["\(kind.name).\(part.rawValue)"]!.render(values)
    }

    /// The variable names a template's tags use (sections, inverted sections, values), the
    /// first component of dotted names; comments, partials, `.` and delimiters ignored.
    static func variables(in source: String) -> Set<String> {
        var names = Set<String>()
        var rest = source[...]
        while let open = rest.range(of: "{{") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else { break }
            var tag = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = afterOpen[close.upperBound...]
            if tag.hasPrefix("{") { tag.removeFirst(); if rest.hasPrefix("}") { rest = rest.dropFirst() } }
            guard let sigil = tag.first else { continue }
            if "!>=%".contains(sigil) { continue }
            if "#^/&".contains(sigil) { tag.removeFirst() }
            let name = tag.trimmingCharacters(in: .whitespaces).split(separator: ".").first.map(String.init) ?? ""
            if !name.isEmpty { names.insert(name) }
        }
        return names
    }
}
