import Foundation
import Testing

/// `athanor run` on notebooks with command steps, as a user runs them.
@Suite struct ExternalStepCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Whether python3 can import scikit-learn, which notebooks/external.md needs.
    static let hasScikitLearn: Bool = {
        guard
            let output = try? CheckCommandTests().run(
                ["python3", "-c", "import sklearn"], executable: URL(fileURLWithPath: "/usr/bin/env"))
        else { return false }
        return output.status == 0
    }()

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "athanor-external-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func whatACommandPrintsIsStreamedUnlessQuiet() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        ```step greet
        run: echo hello; echo careful >&2
        ```
        """.write(to: directory.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
        let loud = try CheckCommandTests().run(["run", "nb.md", "--no-cache"], in: directory)
        #expect(loud.status == 0, "\(loud.stderr)")
        #expect(loud.stderr.contains("[greet] hello\n"))
        #expect(loud.stderr.contains("[greet] careful\n"))
        let quiet = try CheckCommandTests().run(["run", "nb.md", "--no-cache", "-q"], in: directory)
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    @Test func aFailingCommandExitsWithOne() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        ```step broken
        run: echo "no such file" >&2; exit 2
        ```
        """.write(to: directory.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
        let output = try CheckCommandTests().run(["run", "nb.md", "--json", "-q"], in: directory)
        #expect(output.status == 1)
        let run = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let steps = try #require(run["steps"] as? [[String: Any]])
        #expect(steps.first?["status"] as? String == "failed")
    }

    /// The example notebook trains with scikit-learn through the Python helper, next to the engine.
    @Test(
        .enabled(
            if: ExternalStepCommandTests.hasScikitLearn,
            "python3 cannot import sklearn here; install python3-sklearn (scripts/setup.sh does) to run the example"))
    func theScikitLearnExampleRunsAndMatchesTheEngine() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for path in [
            "notebooks/external.md", "notebooks/scripts/digits_sklearn.py", "notebooks/data/digits.csv",
            "python/athanor_log.py",
        ] {
            let target = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            // python/ holds links to the modules in Sources/Runs/Python: copy the file, not the link.
            try FileManager.default.copyItem(
                at: Self.repository.appendingPathComponent(path).resolvingSymlinksInPath(), to: target)
        }
        let first = try CheckCommandTests().run(["run", "notebooks/external.md", "--json", "-q"], in: directory)
        #expect(first.status == 0, "\(first.stderr)\n\(first.stdout)")
        let run = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let metrics = try #require(run["metrics"] as? [String: Double])
        let engine = try #require(metrics["eval.accuracy"])
        let sklearn = try #require(metrics["sklearn.accuracy"])
        #expect(engine > 0.9 && sklearn > 0.9)
        #expect(abs(engine - sklearn) < 0.02, "the engine and scikit-learn disagree: \(engine) vs \(sklearn)")
        let series = try #require(run["series"] as? [String: Any])
        #expect((series["sklearn.test_accuracy"] as? [[Double]])?.last?.first == 100)

        // The split's files are outputs: a cached rerun puts them back for the steps that load them.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("notebooks/build"))
        let second = try CheckCommandTests().run(["run", "notebooks/external.md", "--json", "-q"], in: directory)
        #expect(second.status == 0, "\(second.stderr)")
        let again = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        let steps = try #require(again["steps"] as? [[String: Any]])
        #expect(steps.allSatisfy { $0["cache"] as? String == "hit" })
        #expect(again["metrics"] as? [String: Double] == metrics)
        #expect(
            FileManager.default.fileExists(
                atPath: directory.appendingPathComponent("notebooks/build/digits-train.csv").path))
    }
}
