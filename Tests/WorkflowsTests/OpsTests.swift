import Foundation
import TestSupport
import Testing
import Workflows

/// `athanor ops` and docs/operations.md come from the operation schemas, so that the reference cannot drift.
@Suite struct OpsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func theShippedReferenceIsWhatTheSchemasSay() throws {
        let file = Self.repository.appendingPathComponent("docs/operations.md")
        if Snapshot.isRecording { try OperationsText.markdown().write(to: file, atomically: true, encoding: .utf8) }
        let shipped = try String(contentsOf: file, encoding: .utf8)
        #expect(
            shipped == OperationsText.markdown(),
            "docs/operations.md is out of date: run `athanor ops --markdown > docs/operations.md`")
    }

    @Test func oneOperationShowsItsKeysAndAMisspeltOneItsNearestName() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (invocation, console) = workspace.invocation("ops split")
        #expect(OpsWorkflow(operation: "split", in: invocation).run() == .success)
        #expect(console.output.hasPrefix("## `op: split`\n\nSplit a dataset into train, test and validation parts.\n"))
        #expect(
            console.output.contains("| `test` | a number in (0.0, 1.0) | `0.25` | fraction of rows for the test part |")
        )
        let (wrong, problem) = workspace.invocation("ops trian")
        #expect(OpsWorkflow(operation: "trian", in: wrong).run() == .invalid)
        #expect(
            problem.error
                == "athanor: error: no operation 'trian'; operations are load, synthetic, split, preprocess, train, "
                + "evaluate, predict, run, python, sh, bash; did you mean 'train'?\n")
        let (code, codeConsole) = workspace.invocation("ops sh")
        #expect(OpsWorkflow(operation: "sh", in: code).run() == .success)
        #expect(codeConsole.output.hasPrefix("## Code steps: ```` ```python step NAME ````, `sh`, `bash`\n"))
        #expect(
            codeConsole.output.contains(
                "| `produces` | a list of text values | — | datasets the code writes, as STEP.NAME |"))
    }
}
