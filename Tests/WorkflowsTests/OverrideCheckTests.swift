import Foundation
import TestSupport
import Testing
import Workflows

/// Defect 2: a value given on the command line passes the checks the same value written in the notebook
/// passes, before anything runs.
@Suite struct OverrideCheckTests {
    @Test func aParameterOutOfRangeIsExitTwoBeforeAnythingRuns() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let notebook = try workspace.folder.write(trainingNotebook, to: "nb.md").path
        let (status, console) = workspace.run("nb.md", ["epochs=-5", "lr=-1"], json: false)
        #expect(status == .invalid)
        #expect(
            console.error == """
                \(notebook):25:9: error: 'epochs' must be an integer ≥ 1, not -5
                \(notebook):25:9: note: with -p epochs=-5, -p lr=-1.0
                \(notebook):26:5: error: 'lr' must be a number > 0.0, not -1.0
                \(notebook):26:5: note: with -p epochs=-5, -p lr=-1.0

                """)
        #expect(console.output.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: workspace.folder.path(".athanor/runs.sqlite")))
    }

    @Test func aFractionOutOfRangeFailsBeforeTheStepsBeforeItRun() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let notebook = try workspace.folder.write(trainingNotebook, to: "nb.md").path
        let (status, console) = workspace.run("nb.md", ["test_size=2"], json: false)
        #expect(status == .invalid)
        #expect(
            console.error == """
                \(notebook):18:7: error: 'test' must be a number in (0.0, 1.0), not 2.0
                \(notebook):18:7: note: with -p test_size=2.0

                """)
        #expect(try workspace.runs().isEmpty)
    }

    @Test func everyValueOfASweepIsChecked() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let notebook = try workspace.folder.write(trainingNotebook, to: "nb.md").path
        var options = RunWorkflow.Options(notebook: notebook)
        options.sweeps = ["epochs=1,-2"]
        options.quiet = true
        let (invocation, console) = workspace.invocation("run nb.md --sweep epochs=1,-2")
        #expect(RunWorkflow(options, in: invocation).run() == .invalid)
        #expect(
            console.error == """
                \(notebook):25:9: error: 'epochs' must be an integer ≥ 1, not -2
                \(notebook):25:9: note: with --sweep epochs=-2

                """)
        #expect(try workspace.runs().isEmpty)
    }

    @Test func valuesThatPassStillRun() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(trainingNotebook, to: "nb.md")
        let (status, console) = workspace.run("nb.md", ["epochs=2", "test_size=0.5"])
        #expect(status == .success, "\(console.error)")
        #expect(try Workspace.record(console)["status"] as? String == "succeeded")
    }
}
