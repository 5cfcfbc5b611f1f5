import Foundation
import TestSupport
import Testing

/// `athanor check` as a user runs it: the built binary, its exit code, stdout and stderr.
@Suite struct CheckCommandTests {
    typealias Output = CommandOutput

    /// The built binary, through TestSupport's runner (output to files, so that no pipe fills up).
    func run(_ arguments: [String], in directory: URL? = nil, executable: URL? = nil) throws -> Output {
        try BinaryRunner.run(arguments, in: directory, executable: executable)
    }

    /// Starts the binary without waiting, its output discarded.
    func start(_ arguments: [String], in directory: URL) throws -> Process {
        try BinaryRunner.start(arguments, in: directory)
    }

    func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)).path
    }

    @Test func aValidNotebookExitsZeroWithASummary() throws {
        let path = try fixture("valid.md")
        let output = try run(["check", path])
        #expect(output.status == 0)
        #expect(output.stdout == "\(path): ok (1 parameter, 4 steps)\n")
        #expect(output.stderr.isEmpty)
    }

    @Test func everyErrorIsPrintedAsFileLineColumn() throws {
        let path = try fixture("two-errors.md")
        let output = try run(["check", path])
        #expect(output.status == 2)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "\(path):8:1: error: unknown key 'sampels' in step 'data' (op: synthetic); did you mean 'samples'?",
                "\(path):13:8: error: 'model' must be one of linear, ridge, logistic, softmax, mlp, kmeans, decision_tree, random_forest, gradient_boosting, not 'mpl'; did you mean 'mlp'?",
            ])
        #expect(output.stdout == "\(path): 2 errors\n")
    }

    @Test func severalFilesAreCheckedInOneRun() throws {
        let good = try fixture("valid.md")
        let bad = try fixture("two-errors.md")
        let output = try run(["check", good, bad, "missing.md"])
        #expect(output.status == 2)
        #expect(output.stdout.contains("\(good): ok"))
        #expect(output.stdout.contains("\(bad): 2 errors"))
        #expect(output.stderr.contains("missing.md: error: no such file"))
    }

    @Test func quietPrintsOnlyProblems() throws {
        let output = try run(["check", "--quiet", try fixture("valid.md")])
        #expect(output.status == 0)
        #expect(output.stdout.isEmpty)
    }

    @Test func anEmptyOrNonUTF8FileIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "athanor-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.md")
        try Data().write(to: empty)
        let latin1 = directory.appendingPathComponent("latin1.md")
        try Data([0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: latin1)
        let output = try run(["check", empty.path, latin1.path])
        #expect(output.status == 2)
        #expect(output.stderr.contains("\(empty.path):1:1: error: the notebook is empty"))
        #expect(output.stderr.contains("\(latin1.path): error: the file is not UTF-8 text"))
    }

    @Test(arguments: [["check"], ["check", "--no-such-flag", "x.md"], ["frobnicate"]])
    func anInvalidCommandLineExitsTwo(_ arguments: [String]) throws {
        let output = try run(arguments)
        #expect(output.status == 2)
        #expect(!output.stderr.isEmpty)
    }

    @Test func everyExampleNotebookPasses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let notebooks = try FileManager.default.contentsOfDirectory(
            atPath: root.appendingPathComponent("notebooks").path
        )
        .filter { $0.hasSuffix(".md") }.map { root.appendingPathComponent("notebooks/\($0)").path }
        #expect(notebooks.count >= 3)
        let output = try run(["check"] + notebooks)
        #expect(output.status == 0, "\(output.stderr)")
    }
}
