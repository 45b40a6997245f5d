/// What the service reads out of a comment's Markdown without rendering it: the plain text
/// search looks in, and the `@handles` it mentions. Code (fenced blocks and inline spans) is
/// quoted text, so neither a mention nor markup inside it counts.
enum MarkdownText {
    /// At most this many people are mentioned in one comment (more are ignored).
    static let maxMentions = 20

    /// The handles mentioned in `markdown`, lower-cased, in order of first mention, without
    /// duplicates: `@` at the start or after a character that cannot be in an address or a
    /// handle, then 1 to 39 letters, digits, `-` or `_` (trailing `-`/`_` are punctuation).
    static func mentions(in markdown: String) -> [String] {
        var found: [String] = []
        for line in proseLines(markdown) {
            let characters = Array(stripInlineCode(line))
            var index = 0
            while index < characters.count {
                defer { index += 1 }
                guard characters[index] == "@", index == 0 || !isHandleCharacter(characters[index - 1]) && characters[index - 1] != "." else { continue }
                var end = index + 1
                while end < characters.count, isHandleCharacter(characters[end]) { end += 1 }
                var handle = String(characters[(index + 1)..<end]).lowercased()
                while handle.last == "-" || handle.last == "_" { handle.removeLast() }
                guard (1...39).contains(handle.count), handle.first?.isLetter == true || handle.first?.isNumber == true else { continue }
                if !found.contains(handle) { found.append(handle) }
                if found.count == maxMentions { return found }
                index = end - 1
            }
        }
        return found
    }

    /// `markdown` as plain text: code kept as text, emphasis, heading and quote markers
    /// dropped, links and images reduced to their text, HTML tags removed, whitespace folded.
    static func plainText(_ markdown: String) -> String {
        var words: [Substring] = []
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            let text = inFence ? String(line) : stripMarkup(String(trimmed))
            words.append(contentsOf: text.split(whereSeparator: \.isWhitespace))
        }
        return words.joined(separator: " ")
    }

    /// The lines outside fenced code blocks.
    private static func proseLines(_ markdown: String) -> [String] {
        var lines: [String] = []
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
            } else if !inFence {
                lines.append(String(line))
            }
        }
        return lines
    }

    /// `line` with each `` `code` `` span removed.
    private static func stripInlineCode(_ line: String) -> String {
        var result = ""
        var inCode = false
        for character in line {
            if character == "`" {
                inCode.toggle()
            } else if !inCode {
                result.append(character)
            }
        }
        return result
    }

    private static func stripMarkup(_ line: String) -> String {
        var line = Substring(line)
        // Block markers: headings, quotes, list bullets.
        while let first = line.first, first == "#" || first == ">" { line = line.dropFirst().drop { $0 == " " } }
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") { line = line.dropFirst(2) }
        var result = ""
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            switch character {
            case "<":
                // An HTML tag goes; a lone `<` stays.
                if let close = line[index...].firstIndex(of: ">"), !line[index..<close].contains(" ") || line[line.index(after: index)].isLetter {
                    index = line.index(after: close)
                    continue
                }
                result.append(character)
            case "]":
                // `[text](url)` and `![alt](url)`: keep the text, drop the target.
                let next = line.index(after: index)
                if next < line.endIndex, line[next] == "(", let close = line[next...].firstIndex(of: ")") {
                    index = line.index(after: close)
                    continue
                }
            case "*", "_", "~", "`", "[":
                break
            case "!":
                let next = line.index(after: index)
                if next < line.endIndex, line[next] == "[" { break }
                result.append(character)
            default:
                result.append(character)
            }
            index = line.index(after: index)
        }
        return result
    }

    private static func isHandleCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
    }
}
