import Foundation
import Notebook
import Runs
import Testing

/// Notebooks built to break a parser: each must give a clear error, never a crash or a hang.
/// (How long each takes is measured by benchmarks/hostile-check.sh, not here.)
@Suite struct HostileInputTests {
    func firstError(_ source: String) -> Diagnostic? {
        NotebookChecker.check(source, path: "h.md").diagnostics.first { $0.severity == .error }
    }

    @Test func aTenMegabyteLineInABlockIsRefused() throws {
        let source = "```params\nx: " + String(repeating: "a", count: 10_000_000) + "\n```\n"
        let diagnostic = try #require(firstError(source))
        #expect(diagnostic.message.contains("at most 1 MiB"))
        #expect(diagnostic.location?.line == 2)
    }

    @Test func aTenMegabyteProseLineIsJustProse() {
        let source = String(repeating: "word ", count: 2_000_000)
        #expect(NotebookChecker.check(source, path: "h.md").diagnostics.isEmpty)
    }

    @Test func thousandsOfBackticksAreProse() {
        let source = String(repeating: "`", count: 5000) + "\n" + String(repeating: "`a ", count: 5000) + "\n"
        #expect(firstError(source) == nil)
    }

    @Test func anUnclosedStepFenceIsAnErrorAtTheFence() throws {
        let diagnostic = try #require(firstError("text\n\n```step data\nop: load\npath: x.csv\n"))
        #expect(diagnostic.location == SourceLocation(line: 3, column: 1))
        #expect(diagnostic.message.contains("unclosed"))
    }

    @Test(arguments: [
        "x: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
        "x: " + String(repeating: "- ", count: 100_000) + "1",
        "x: " + String(repeating: "{a: ", count: 50_000) + "1" + String(repeating: "}", count: 50_000),
        (0..<200).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n") + " 1",
    ])
    func deepNestingIsRefusedBeforeParsing(_ body: String) throws {
        let diagnostic = try #require(firstError("```step s\nop: load\n\(body)\n```\n"))
        #expect(diagnostic.message.contains("nested more than"))
    }

    @Test func exponentialAliasesAreRefused() throws {
        var lines = ["a0: &a0 [lol, lol]"]
        for level in 1..<40 { lines.append("a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]") }
        let diagnostic = try #require(firstError("```params\n" + lines.joined(separator: "\n") + "\n```\n"))
        #expect(diagnostic.message.contains("aliases"))
        #expect(diagnostic.location?.line == 2)
    }

    @Test func aSelfReferencingAnchorIsRefused() throws {
        let diagnostic = try #require(firstError("```step s\nop: load\nx: &a [*a]\n```\n"))
        #expect(diagnostic.message.contains("aliases"))
    }

    @Test func aHugeFlowListIsCappedNotParsedForever() throws {
        let body = "x: [" + Array(repeating: "1", count: 200_000).joined(separator: ",") + "]"
        let diagnostic = try #require(firstError("```step s\nop: load\n\(body)\n```\n"))
        #expect(diagnostic.message.contains("more than 100000 values"))
    }

    @Test(arguments: [("just a scalar", "a single value"), ("- op: load", "a list")])
    func aStepBodyMustBeAMapping(_ body: String, _ fragment: String) throws {
        let diagnostic = try #require(firstError("```step s\n\(body)\n```\n"))
        #expect(diagnostic.message.contains(fragment))
        #expect(diagnostic.location?.line == 2)
    }

    @Test func controlCharactersAreAYAMLError() throws {
        let diagnostic = try #require(firstError("```step s\nop: lo\u{0}ad\n```\n"))
        #expect(diagnostic.message.contains("invalid YAML"))
    }

    @Test func fileProblemsAreClearErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let binary = directory.appendingPathComponent("binary.md")
        try Data([0x23, 0x20, 0x0A, 0xFF, 0xFE, 0x00, 0x80]).write(to: binary)
        let empty = directory.appendingPathComponent("empty.md")
        try Data("  \n\n".utf8).write(to: empty)

        #expect(
            FileCheck(path: binary.path).diagnostics.first?.message.contains(
                "not UTF-8 text (invalid byte 0xff on line 2)") == true)
        #expect(FileCheck(path: empty.path).diagnostics.first?.message == "the notebook is empty")
        #expect(
            FileCheck(path: directory.appendingPathComponent("missing.md").path).diagnostics.first?.message
                == "no such file")
        #expect(FileCheck(path: directory.path).diagnostics.first?.message.contains("directory") == true)
        #expect(FileCheck(path: empty.path).hasErrors)
    }
}
