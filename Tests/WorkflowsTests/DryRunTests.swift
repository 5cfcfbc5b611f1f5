import Foundation
import TestSupport
import Testing
import Workflows

/// `run --dry-run`: which steps would run and why, and nothing recorded or created.
@Suite struct DryRunTests {
    func dryRun(_ workspace: Workspace, _ parameters: [String] = [], sweeps: [String] = []) -> (
        CommandStatus, CapturedConsole
    ) {
        var options = RunWorkflow.Options(notebook: workspace.folder.path("nb.md"))
        (options.parameters, options.sweeps, options.dryRun) = (parameters, sweeps, true)
        let (invocation, console) = workspace.invocation("run nb.md --dry-run")
        return (RunWorkflow(options, in: invocation).run(), console)
    }

    @Test func aDryRunSaysWhatWouldRunAndRecordsNothing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(trainingNotebook, to: "nb.md")
        let (first, fresh) = dryRun(workspace)
        #expect(first == .success)
        #expect(fresh.output == "data, split, model, eval: would run because no earlier run of this step\n")
        #expect(fresh.error == "dry run: nothing was run or recorded\n")
        #expect(!FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent(".athanor").path))
        #expect(workspace.run("nb.md").0 == .success)
        let (_, changed) = dryRun(workspace, ["epochs=2"])
        #expect(
            changed.output == """
                model: would run because setting 'epochs' changed (5 → 2)
                eval: would run because upstream step 'model' changed
                data, split: from the cache

                """)
        #expect(try workspace.runs().count == 1)
    }

    @Test func aDryRunOfASweepNamesEachMember() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(trainingNotebook, to: "nb.md")
        #expect(workspace.run("nb.md").0 == .success)
        let (status, console) = dryRun(workspace, sweeps: ["epochs=5,2"])
        #expect(status == .success)
        #expect(
            console.output == """
                [epochs=5] all 4 steps from the cache
                [epochs=2] model: would run because setting 'epochs' changed (5 → 2)
                [epochs=2] eval: would run because upstream step 'model' changed
                [epochs=2] data, split: from the cache

                """)
        #expect(try workspace.runs().count == 1)
    }
}
