import Foundation
import TestSupport
import Testing
import Workflows

/// Defects 4 and 13: a report is someone else's file. Its data comes only from regular files inside the data
/// folder, its reproduction is recorded in the working folder's project, and its text cannot drive the terminal.
@Suite struct ReportTrustTests {
    static func loading(_ path: String) -> String {
        """
        ```params
        seed: 1
        ```

        ```step data
        op: load
        path: \(path)
        target: label
        ```

        ```step split
        op: split
        input: data
        seed: ${seed}
        ```
        """
    }

    static let rows =
        "a,b,label\n" + (0..<40).map { "\($0 % 7),\($0 % 3),\($0 % 2 == 0 ? "x" : "y")" }.joined(separator: "\n")

    /// Runs `notebook` (reading `path`) inside `project/`, so that it has a report to reproduce; returns it.
    static func report(of path: String, in workspace: Workspace) throws -> URL {
        try workspace.folder.write(rows, to: "outside.csv")
        try workspace.folder.write(rows, to: "project/inside.csv")
        let notebook = try workspace.folder.write(loading(path), to: "project/nb.md")
        var options = RunWorkflow.Options(notebook: notebook.path)
        options.quiet = true
        let (invocation, console) = workspace.invocation("run nb.md", in: notebook.deletingLastPathComponent())
        #expect(RunWorkflow(options, in: invocation).run() == .success, "\(console.error)")
        return notebook.deletingLastPathComponent().appendingPathComponent("nb.html")
    }

    static func reproduce(
        _ report: URL, in directory: URL, data: String? = nil, workspace: Workspace
    ) -> (CommandStatus, CapturedConsole) {
        var options = ReproduceWorkflow.Options(target: report.path)
        options.data = data
        options.quiet = true
        let (invocation, console) = workspace.invocation("reproduce \(report.path)", in: directory)
        return (ReproduceWorkflow(options, in: invocation).run(), console)
    }

    static func refusal(_ report: URL, _ reason: String, folder: URL) -> String {
        """
        athanor: error: \(report.path): step 'data' reads \(reason)
        athanor: error: a report's data must be regular files inside the data folder \(folder.path) \
        (the working folder, or --data DIR)

        """
    }

    @Test func aPathOutOfTheDataFolderIsRefused() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let report = try Self.report(of: "../outside.csv", in: workspace)
        let project = workspace.url.appendingPathComponent("project")
        let (status, console) = Self.reproduce(report, in: project, workspace: workspace)
        #expect(status == .invalid)
        #expect(
            console.error
                == Self.refusal(report, "'../outside.csv', which is outside the data folder", folder: project))
        #expect(try workspace.runs(in: project).count == 1, "nothing was recorded for the refused report")
    }

    @Test func anAbsolutePathIsRefused() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let outside = workspace.folder.path("outside.csv")
        let report = try Self.report(of: outside, in: workspace)
        let project = workspace.url.appendingPathComponent("project")
        let (status, console) = Self.reproduce(report, in: project, workspace: workspace)
        #expect(status == .invalid)
        #expect(console.error == Self.refusal(report, "'\(outside)': an absolute path", folder: project))
    }

    @Test func aSymlinkOutOfTheDataFolderIsRefused() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.rows, to: "outside.csv")
        try FileManager.default.createDirectory(
            at: workspace.url.appendingPathComponent("project"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: workspace.folder.path("project/link.csv"), withDestinationPath: "../outside.csv")
        let report = try Self.report(of: "link.csv", in: workspace)
        let project = workspace.url.appendingPathComponent("project")
        let (status, console) = Self.reproduce(report, in: project, workspace: workspace)
        #expect(status == .invalid)
        #expect(
            console.error == Self.refusal(report, "'link.csv', which is outside the data folder", folder: project))
    }

    @Test func aFIFOIsRefusedRatherThanReadForEver() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let report = try Self.report(of: "inside.csv", in: workspace)
        let project = workspace.url.appendingPathComponent("project")
        try FileManager.default.removeItem(at: project.appendingPathComponent("inside.csv"))
        #expect(mkfifo(project.appendingPathComponent("inside.csv").path, 0o600) == 0)
        let (status, console) = Self.reproduce(report, in: project, workspace: workspace)
        #expect(status == .invalid)
        #expect(
            console.error == Self.refusal(report, "'inside.csv', which is not a regular file", folder: project))
    }

    @Test func dataMeansWhereTheFilesAreAndTheRunIsRecordedHere() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.rows, to: "project/data/train.csv")
        let report = try Self.report(of: "data/train.csv", in: workspace)
        // Elsewhere, with the files in shared/data: `--data shared/data` finds `data/train.csv` there.
        try workspace.folder.write(Self.rows, to: "elsewhere/shared/data/train.csv")
        let elsewhere = workspace.url.appendingPathComponent("elsewhere")
        let (status, console) = Self.reproduce(report, in: elsewhere, data: "shared/data", workspace: workspace)
        #expect(status == .success, "\(console.error)")
        #expect(console.output.contains(" reproduced as "), "\(console.output)")
        #expect(try workspace.runs(in: elsewhere).count == 1)
        for folder in ["elsewhere/shared", "elsewhere/shared/data"] {
            #expect(!FileManager.default.fileExists(atPath: workspace.folder.path("\(folder)/.athanor")))
        }
    }

    @Test func aNotebookNamedSlashStaysInTheWorkingFolder() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let report = try Self.report(of: "inside.csv", in: workspace)
        let html = try String(contentsOf: report, encoding: .utf8)
        let crafted = workspace.url.appendingPathComponent("crafted/crafted.html")
        try workspace.folder.write(Self.rows, to: "crafted/inside.csv")
        try workspace.folder.write(
            html.replacingOccurrences(of: "\"notebook\":\"nb.md\"", with: "\"notebook\":\"\\/\""),
            to: "crafted/crafted.html")
        let (status, console) = Self.reproduce(
            crafted, in: crafted.deletingLastPathComponent(), workspace: workspace)
        #expect(status == .success, "\(console.error)")
        #expect(FileManager.default.fileExists(atPath: workspace.folder.path("crafted/.athanor/runs.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: workspace.folder.path(".athanor")))
    }

    @Test func aRunIdThatIsNotOneIsRefused() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let report = try Self.report(of: "inside.csv", in: workspace)
        let html = try String(contentsOf: report, encoding: .utf8)
        let id = try #require(try workspace.runs(in: report.deletingLastPathComponent()).first?["id"] as? String)
        try workspace.folder.write(
            html.replacingOccurrences(of: "\"id\":\"\(id)\"", with: "\"id\":\"\\u001b[2J\\u001b[HFAKE: reproduced\""),
            to: "project/crafted.html")
        let crafted = workspace.url.appendingPathComponent("project/crafted.html")
        let (status, console) = Self.reproduce(crafted, in: crafted.deletingLastPathComponent(), workspace: workspace)
        #expect(status == .invalid)
        #expect(
            console.error
                == "athanor: error: \(crafted.path): the report's run id is not an Athanor run id (eight hex digits)\n")
    }

    @Test func aReportsParametersPassTheNotebooksChecks() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let report = try Self.report(of: "inside.csv", in: workspace)
        let html = try String(contentsOf: report, encoding: .utf8)
        try workspace.folder.write(
            html.replacingOccurrences(
                of: "{\"name\":\"seed\",\"overridden\":false,\"value\":\"1\"}",
                with: "{\"name\":\"seed\",\"overridden\":true,\"value\":\"-3\"}"),
            to: "project/crafted.html")
        let crafted = workspace.url.appendingPathComponent("project/crafted.html")
        let project = crafted.deletingLastPathComponent()
        let (status, console) = Self.reproduce(crafted, in: project, workspace: workspace)
        #expect(status == .invalid)
        #expect(
            console.error == """
                \(project.path)/nb.md:14:7: error: 'seed' must be an integer ≥ 0, not -3
                athanor: error: \(crafted.path): the report's parameters fail the notebook's checks

                """)
    }

    @Test func controlCharactersReachTheTerminalEscaped() {
        #expect(TerminalText.escaped("a\u{1B}[2Jb\tc\nd\u{7}\u{9B}\u{202E}") == "a\\x1B[2Jb\tc\nd\\x07\\x9B\\u{202E}")
        let console = CapturedConsole()
        console.print("run \u{1B}[2J")
        console.printError("step '\u{8}x'")
        #expect(console.output == "run \\x1B[2J\n")
        #expect(console.error == "step '\\x08x'\n")
    }
}
