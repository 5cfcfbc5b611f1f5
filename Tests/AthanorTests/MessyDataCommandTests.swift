import Foundation
import Testing

/// A real-world CSV, as a user's first experiment meets one: notebooks/loans.md reads files with CRLF
/// line ends, six spellings of a missing value, quoted text with commas and a text feature, and scores
/// as scikit-learn's pipeline does on the same files.
@Suite struct MessyDataCommandTests {
    @Test func theLoansNotebookScoresAsScikitLearnsPipelineOnTheSameFiles() throws {
        let directory = try ExternalStepCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let notebooks = ExternalStepCommandTests.repository.appendingPathComponent("notebooks")
        for path in ["loans.md", "data/loans-train.csv", "data/loans-test.csv", "scripts/loans_sklearn.py"] {
            let destination = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: notebooks.appendingPathComponent(path), to: destination)
        }
        let run = try CheckCommandTests().run(["run", "loans.md", "--json", "-q"], in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let metrics = try #require(record["metrics"] as? [String: Any])
        let datasets = try #require(record["datasets"] as? [[String: Any]])
        #expect(datasets.map { $0["rows"] as? Int } == [1200, 400])

        let peer = try CheckCommandTests().run(
            ["python3", "scripts/loans_sklearn.py"], in: directory, executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(peer.status == 0, "\(peer.stderr)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(peer.stdout.utf8)) as? [String: Double])
        for name in ["accuracy", "log_loss", "roc_auc"] {
            let ours = try #require(metrics["eval.\(name)"] as? Double, "no eval.\(name)")
            let theirs = try #require(expected[name])
            // One prediction of 400 either way; the probabilities to three decimals.
            #expect(abs(ours - theirs) <= (name == "accuracy" ? 0.0026 : 0.001), "\(name): \(ours) vs \(theirs)")
        }
    }

    /// Without a terminal (a pipe, a CI log) no progress is shown, so the failure is printed at the end,
    /// at the failed step's line, in the form editors jump to.
    @Test func aStepThatCannotTakeMissingValuesSaysWhereAndWhatToDo() throws {
        let directory = try ExternalStepCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "x,y,label\n1,2,a\n,3,b\n4,NA,a\n5,6,b\n".write(
            to: directory.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        try """
        ```step data
        op: load
        path: d.csv
        target: label
        ```

        ```step model
        op: train
        model: logistic
        input: data
        ```
        """.write(to: directory.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
        let run = try CheckCommandTests().run(["run", "nb.md"], in: directory)
        #expect(run.status == 1)
        // Without a terminal: a line per step, then the failure at the step's line, then the run's end.
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(run.stderr)")
        #expect(lines[0].hasPrefix("[1/2] data: cache miss, ") && lines[1].hasPrefix("[2/2] model: failed after "))
        #expect(
            lines[2]
                == "nb.md:7:1: error: step 'model' failed: columns 'x' (1 missing) and 'y' (1 missing) have missing "
                + "values; impute them with a preprocess step (impute: [x, y])")
        #expect(lines.last?.hasPrefix("run ") == true && lines.last?.contains(" failed; report ") == true)
    }
}
