import Foundation
import TestSupport
import Testing
import Workflows

/// A sweep of seeds alone summarises every metric over its runs on the terminal and in JSON, and says when
/// runs tie for the best.
@Suite struct SeedSweepTests {
    /// A decision tree that considers every feature draws nothing at random: every seed gives the same tree,
    /// so the runs tie.
    static let notebook = """
        ```params
        seed: 1
        ```

        ```step data
        op: synthetic
        kind: classification
        samples: 120
        features: 3
        classes: 2
        seed: 7
        ```

        ```step split
        op: split
        input: data
        test: 0.25
        seed: 3
        ```

        ```step model
        op: train
        model: decision_tree
        depth: 2
        seed: ${seed}
        input: split.train
        ```

        ```step eval
        op: evaluate
        model: model
        input: split.test
        metrics: [accuracy]
        ```

        """

    func sweep(json: Bool) throws -> (CommandStatus, CapturedConsole, Workspace) {
        let workspace = try Workspace()
        try workspace.folder.write(Self.notebook, to: "seeds.md")
        var options = RunWorkflow.Options(notebook: workspace.folder.path("seeds.md"))
        options.sweeps = ["seed=1..3:lin3"]
        options.jobs = 1
        options.json = json
        let (invocation, console) = workspace.invocation("run seeds.md --sweep seed=1..3:lin3")
        return (RunWorkflow(options, in: invocation).run(), console, workspace)
    }

    @Test func theTerminalShowsTheSpreadAndTheTie() throws {
        let (status, console, workspace) = try sweep(json: false)
        defer { workspace.remove() }
        #expect(status == .success, "\(console.error)")
        let lines = console.error.components(separatedBy: "\n")
        let summary = try #require(lines.first { $0.hasPrefix("sweep ") && $0.contains("succeeded") })
        #expect(
            summary.range(
                of: #"best \w+ \(eval\.accuracy = [0-9.]+, maximized, at seed=1\), tied with \w+, \w+;"#,
                options: .regularExpression) != nil, "\(summary)")
        let spread = try #require(lines.firstIndex(of: "across the runs (mean ± std, min, max):"))
        #expect(
            lines[spread + 1].range(
                of: #"^  eval\.accuracy  ([0-9.]+) ± 0  min \1  max \1  \(3 runs\)$"#, options: .regularExpression)
                != nil, "\(lines[spread + 1])")
    }

    @Test func theJSONHasTheSpread() throws {
        let (status, console, workspace) = try sweep(json: true)
        defer { workspace.remove() }
        #expect(status == .success, "\(console.error)")
        let object = try Workspace.record(console)
        let spread = try #require(object["spread"] as? [[String: Any]])
        #expect(spread.map { $0["name"] as? String } == ["eval.accuracy"])
        #expect(spread.first?["count"] as? Int == 3 && spread.first?["std"] as? Double == 0)
    }
}
