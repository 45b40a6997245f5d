import FlotillaKit
import Foundation
import Testing

@testable import Files

@Suite("files: rules")
struct FilesRulesTests {
    @Test(arguments: [
        ("bytes=0-4", ByteRange.satisfiable(0...4)),
        ("bytes=5-", .satisfiable(5...11)),
        ("bytes=-3", .satisfiable(9...11)),
        ("bytes=-100", .satisfiable(0...11)),
        ("bytes=10-99", .satisfiable(10...11)),
        ("bytes=12-", .unsatisfiable),
        ("bytes=-0", .unsatisfiable),
        ("bytes=0-1,3-4", .multiple),
        ("bytes=5-2", .ignored),
        ("items=0-1", .ignored),
        ("bytes=a-b", .ignored),
    ])
    func rangesOfATwelveByteFile(_ header: String, _ expected: ByteRange) {
        #expect(ByteRange.parse(header, size: 12) == expected)
    }

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]
    static let allowed = Set(FilesConfiguration.defaultAllowedTypes)

    @Test(arguments: [
        (png, nil as String?, Result<String, ContentSniffer.Refusal>.success("image/png")),
        (png, "image/png", .success("image/png")),
        (png, "application/octet-stream", .success("image/png")),
        (png, "image/jpeg", .failure(.mismatch(declared: "image/jpeg", sniffed: "image/png"))),
        (Array("%PDF-1.7\n".utf8), "application/pdf", .success("application/pdf")),
        (Array("a,b\n".utf8), "text/csv; charset=utf-8", .success("text/csv")),
        (Array("{\"a\": 1}".utf8), "application/json", .success("application/json")),
        (Array("plain words ünïcode\n".utf8), nil, .success("text/plain")),
        ([0x50, 0x4B, 0x03, 0x04, 0x14], "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         .success("application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
        ([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x00], nil, .failure(.notAllowed(sniffed: nil))),
        (Array("text with a NUL\u{0}".utf8), "text/plain", .failure(.notAllowed(sniffed: nil))),
        (Array("GIF89a".utf8), nil, .success("image/gif")),
    ])
    func theContentDecides(_ head: [UInt8], _ declared: String?, _ expected: Result<String, ContentSniffer.Refusal>) {
        let resolved = ContentSniffer.resolve(declared: declared, head: head, allowed: Self.allowed)
        #expect("\(resolved)" == "\(expected)")
    }

    @Test func aTypeOffTheAllowListIsRefusedEvenWhenTheBytesAgree() {
        #expect(ContentSniffer.resolve(declared: nil, head: Self.png, allowed: ["text/plain"]) == .failure(.notAllowed(sniffed: "image/png")))
    }

    @Test func aUTF8SequenceCutAtTheEndOfTheHeadIsStillText() {
        let cut = Array("café".utf8).dropLast()
        #expect(ContentSniffer.sniff(Array(cut)) == "text/plain")
    }

    @Test(arguments: [("report.pdf", true), ("résumé v2.txt", true), ("a/b", false), ("a\\b", false), ("", false), ("..", false),
                      ("tab\there", false), (String(repeating: "x", count: 255), true), (String(repeating: "x", count: 256), false)])
    func namesAreStoredAsGivenWhenSafe(_ name: String, _ valid: Bool) {
        #expect(FileName.isValid(name) == valid)
    }

    @Test func theDispositionHasAnASCIIFallbackAndTheExactName() {
        #expect(FileName.contentDisposition("plan.md") == #"attachment; filename="plan.md"; filename*=UTF-8''plan.md"#)
        #expect(FileName.contentDisposition("Ärger 100%.txt") == #"attachment; filename="_rger 100_.txt"; filename*=UTF-8''%C3%84rger%20100%25.txt"#)
    }

    @Test func permissionsFollowWhoTheCallerIs() {
        typealias Standing = FilePermission.Standing
        let reader = Standing(readsEntity: true)
        let uploader = Standing(readsEntity: true, isUploader: true)
        let moderator = Standing(readsEntity: true, moderates: true)
        let sharedRead = Standing(shared: [.read])
        let sharedDelete = Standing(shared: [.delete])
        let formerUploader = Standing(isUploader: true)
        #expect(FilePermission.allCases.map { $0.isGranted(to: reader) } == [true, false, false, false])
        #expect(FilePermission.allCases.allSatisfy { $0.isGranted(to: uploader) && $0.isGranted(to: moderator) })
        #expect(FilePermission.allCases.map { $0.isGranted(to: sharedRead) } == [true, false, false, false])
        #expect(FilePermission.allCases.map { $0.isGranted(to: sharedDelete) } == [true, false, true, false], "any share reads")
        #expect(!FilePermission.canSee(formerUploader), "an uploader who lost the entity sees nothing")
    }
}
