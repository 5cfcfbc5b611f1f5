import Foundation
import TestSupport
import Testing
import Workflows

/// A fenced block without `step` (```` ```python ````, ```` ```sh ````) is prose for the reader (DESIGN §10):
/// a run shows it and never runs it.
@Suite struct DisplayOnlyCodeTests {
    @Test func aCodeBlockWithoutStepNeverRuns() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let notebook = """
            ```step data
            op: synthetic
            kind: blobs
            samples: 40
            ```

            How the data was made, for reading only:

            ```python
            raise SystemExit("this must not run")
            ```

            ```sh
            touch ran.txt
            ```
            """
        try workspace.folder.write(notebook, to: "nb.md")
        let (status, console) = workspace.run("nb.md")
        #expect(status == .success, "\(console.error)")
        let record = try Workspace.record(console)
        let steps = (record["steps"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(steps == ["data"])
        #expect(!FileManager.default.fileExists(atPath: workspace.folder.path("ran.txt")))
    }
}
