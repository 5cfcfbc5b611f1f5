import Foundation
import TestSupport
import Testing
import Workflows

/// Code steps are commands for the trust rule (DESIGN §10): a report's code steps never run unless the user
/// passes `--allow-commands`, and the refusal names them.
@Suite struct CodeStepTrustTests {
    static let notebook = """
        ```step data
        op: synthetic
        kind: blobs
        samples: 40
        ```

        ```step fetch
        run: echo fetched
        ```

        ```python step features
        #| reads: [data]
        print("features")
        ```
        """

    @Test func aReportsCodeStepsAreRefusedAndNamedUnlessCommandsAreAllowed() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook, to: "nb.md")
        let (status, console) = workspace.run("nb.md", json: false)
        #expect(status == .success, "\(console.error)")
        let report = workspace.url.appendingPathComponent("nb.html")
        let (refused, refusal) = ReportTrustTests.reproduce(report, in: workspace.url, workspace: workspace)
        #expect(refused == .invalid)
        #expect(
            refusal.error
                == "athanor: error: \(report.path) asks to run commands and code (steps 'fetch', 'features' (python)). "
                + "Commands and code that come out of a report are never run unless you pass --allow-commands; "
                + "read them in the report first.\n")
        #expect(try workspace.runs().count == 1, "nothing was recorded for the refused report")
        let codeOnly = Self.notebook.replacingOccurrences(of: "```step fetch\nrun: echo fetched\n```", with: "")
            .replacingOccurrences(of: "```python step features", with: "```sh step features")
            .replacingOccurrences(of: "print(\"features\")", with: "echo features")
        try workspace.folder.write(codeOnly, to: "code/nb.md")
        let (codeStatus, codeConsole) = workspace.run("code/nb.md", json: false)
        #expect(codeStatus == .success, "\(codeConsole.error)")
        let codeReport = workspace.url.appendingPathComponent("code/nb.html")
        let (_, codeRefusal) = ReportTrustTests.reproduce(codeReport, in: workspace.url, workspace: workspace)
        #expect(
            codeRefusal.error
                == "athanor: error: \(codeReport.path) asks to run code (step 'features' (sh)). "
                + "Code that comes out of a report is never run unless you pass --allow-commands; "
                + "read it in the report first.\n")

        var options = ReproduceWorkflow.Options(target: report.path)
        options.allowCommands = true
        options.quiet = true
        let (invocation, allowed) = workspace.invocation("reproduce \(report.path) --allow-commands")
        #expect(ReproduceWorkflow(options, in: invocation).run() == .success, "\(allowed.error)")
        let runs = try workspace.runs()
        #expect(runs.count == 3, "with --allow-commands the report's steps ran")
        #expect(runs.first?["status"] as? String == "succeeded")
    }
}
