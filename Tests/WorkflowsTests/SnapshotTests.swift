import Foundation
import TestSupport
import Testing
import Workflows

/// Whole outputs as a user reads them, against files in Snapshots/ (`ATHANOR_RECORD=1` re-records).
@Suite struct SnapshotTests {
    static let folder = Snapshot.directory(besides: #filePath)

    static let invalid = """
        ---
        title: Typos
        ---

        ```params
        epochs: 10
        lr: 0.1
        ```

        ```step data
        op: lod
        path: data.csv
        ```

        ```step split
        op: split
        input: dta
        test: 1.5
        ```

        ```step model
        op: train
        model: mlp
        input: split.train
        epoch: ${epochs}
        lr: ${lrr}
        ```

        The accuracy is `=eval.accuracy`.
        """

    @Test func checkPrintsEveryProblemInFileOrder() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.invalid, to: "typos.md")
        let (invocation, console) = workspace.invocation("check typos.md")
        // The notebook's path as the user typed it, relative to the working folder.
        #expect(CheckWorkflow(notebooks: ["typos.md"], in: invocation).run() == .invalid)
        let text = "--- stderr\n\(console.error)--- stdout\n\(console.output)"
        let mismatch = Snapshot.mismatch(text, named: "check-typos.txt", in: Self.folder)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func opsListsEveryOperation() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (invocation, console) = workspace.invocation("ops")
        #expect(OpsWorkflow(in: invocation).run() == .success)
        let mismatch = Snapshot.mismatch(console.output, named: "ops.txt", in: Self.folder)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}
