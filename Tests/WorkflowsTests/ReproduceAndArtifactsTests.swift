import Foundation
import TestSupport
import Testing
import Workflows

/// Issue 12's newcomer's list: `reproduce` compares artifacts and says what it could not compare, `artifacts`
/// exports a run's files, `cache gc` really removes and `--tolerance` really tolerates.
@Suite struct ReproduceAndArtifactsTests {
    static func notebook(writing command: String) -> String {
        """
        ```step data
        op: synthetic
        kind: classification
        samples: 120
        features: 3
        classes: 2
        ```

        ```step make
        run: \(command)
        ```

        ```step model
        op: train
        model: logistic
        input: data
        ```
        """
    }

    static func runID(_ console: CapturedConsole) throws -> String {
        try #require(try Workspace.record(console)["id"] as? String)
    }

    func reproduce(_ id: String, tolerance: Double? = nil, in workspace: Workspace) -> (CommandStatus, CapturedConsole)
    {
        var options = ReproduceWorkflow.Options(target: id)
        options.tolerance = tolerance
        options.quiet = true
        let (invocation, console) = workspace.invocation("reproduce \(id)")
        return (ReproduceWorkflow(options, in: invocation).run(), console)
    }

    @Test func artifactsAreComparedByContent() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook(writing: "date +%N > \"$ATHANOR_OUTPUT/value.txt\""), to: "nb.md")
        let (status, ran) = workspace.run("nb.md")
        #expect(status == .success, "\(ran.error)")
        let id = try Self.runID(ran)
        let (reproduced, console) = reproduce(id, in: workspace)
        #expect(reproduced == .failure)
        let lines = console.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(console.output)")
        #expect(lines.first?.hasPrefix("run \(id) did not reproduce (new run ") == true)
        #expect(lines.last?.hasPrefix("  artifact 'value.txt' (step 'make') changed content: sha256 ") == true)
    }

    @Test func theSameArtifactsReproduce() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook(writing: "echo fixed > \"$ATHANOR_OUTPUT/value.txt\""), to: "nb.md")
        let (_, ran) = workspace.run("nb.md")
        let id = try Self.runID(ran)
        let (reproduced, console) = reproduce(id, in: workspace)
        #expect(reproduced == .success, "\(console.error)")
        #expect(console.output.hasSuffix(": 0 data hashes, 0 metrics, 1 artifact and 1 series are the same\n"))
    }

    @Test func anInterruptedRunSaysWhatItCouldNotCompare() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook(writing: "echo fixed > \"$ATHANOR_OUTPUT/value.txt\""), to: "nb.md")
        let (_, ran) = workspace.run("nb.md")
        let id = try Self.runID(ran)
        // The run as an interruption during training leaves it.
        let store = try RunStore(path: workspace.folder.path(".athanor/runs.sqlite"))
        var record = try #require(try store.run(id))
        record.status = .interrupted
        record.steps.removeLast()
        record.series = []
        try store.save(record)
        let (reproduced, console) = reproduce(id, in: workspace)
        #expect(reproduced == .failure)
        let lines = console.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("run \(id) could not be reproduced in full (new run ") == true)
        #expect(
            lines.dropFirst() == [
                "  the original run interrupted before step 'model' recorded results, so those could not be compared"
            ])
    }

    @Test func artifactsAreExportedAsStepAndName() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(
            Self.notebook(writing: "mkdir -p \"$ATHANOR_OUTPUT/plots\" && echo a > \"$ATHANOR_OUTPUT/plots/a.txt\""),
            to: "nb.md")
        let (_, ran) = workspace.run("nb.md")
        let id = try Self.runID(ran)
        let (invocation, console) = workspace.invocation("artifacts \(id) --out exported")
        #expect(ArtifactsWorkflow(id: id, out: "exported", in: invocation).run() == .success, "\(console.error)")
        #expect(console.output == "exported/make/plots/a.txt\n")
        #expect(
            try String(contentsOfFile: workspace.folder.path("exported/make/plots/a.txt"), encoding: .utf8) == "a\n")
        // Once the cache is cleared, the run's files are gone, and it says how to make them again.
        #expect(CacheWorkflow(in: workspace.invocation("cache clear").0).clear() == .success)
        let (again, missing) = workspace.invocation("artifacts \(id)")
        #expect(ArtifactsWorkflow(id: id, in: again).run() == .failure)
        #expect(
            missing.error
                == "athanor: error: 1 artifact is no longer in the cache (make/plots/a.txt); "
                + "'athanor reproduce \(id)' makes them again\n")
    }

    @Test func garbageCollectionRemovesWhatNoRunRefersTo() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook(writing: "echo fixed > \"$ATHANOR_OUTPUT/value.txt\""), to: "nb.md")
        _ = workspace.run("nb.md")
        let (kept, keptConsole) = workspace.invocation("cache gc")
        #expect(CacheWorkflow(in: kept).collect() == .success)
        #expect(keptConsole.output == "removed 0 objects, 0 bytes\n")
        let before = try ObjectStore(directory: workspace.url.appendingPathComponent(".athanor/cache")).stats()
        #expect(before.objects > 0)
        // With the history gone, no run refers to anything: everything goes.
        try FileManager.default.removeItem(atPath: workspace.folder.path(".athanor/runs.sqlite"))
        let (collected, console) = workspace.invocation("cache gc")
        #expect(CacheWorkflow(in: collected).collect() == .success)
        #expect(console.output == "removed \(before.objects) objects, \(before.bytes) bytes\n")
        let after = try ObjectStore(directory: workspace.url.appendingPathComponent(".athanor/cache")).stats()
        #expect(after.objects == 0 && after.bytes == 0)
    }
}
