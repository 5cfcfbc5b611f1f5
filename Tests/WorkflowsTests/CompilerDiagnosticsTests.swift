import Foundation
import TestSupport
import Testing
import Workflows

/// Diagnostics as a compiler prints them: the line quoted with a `^` on a terminal (coloured unless
/// NO_COLOR), plain lines in a log, and `check --json` / `--format github` for tools.
@Suite struct CompilerDiagnosticsTests {
    static let notebook = """
        ```step data
        op: synthetic
        kind: blobs
        sampels: 40
        ```

        """

    func check(_ format: CheckWorkflow.Format = .text, terminal: Bool = false) throws -> (
        CommandStatus, CapturedConsole, Workspace
    ) {
        let workspace = try Workspace()
        try workspace.folder.write(Self.notebook, to: "nb.md")
        let console = CapturedConsole(isTerminal: terminal)
        let invocation = Invocation(console: console, directory: workspace.url, command: ["athanor", "check"])
        return (
            CheckWorkflow(notebooks: ["nb.md"], quiet: true, format: format, in: invocation).run(), console, workspace
        )
    }

    @Test func aTerminalSeesTheLineAndACaretUnderTheColumn() throws {
        let (status, console, workspace) = try check(terminal: true)
        defer { workspace.remove() }
        #expect(status == .invalid)
        // CapturedConsole's terminal has colour only without NO_COLOR; strip it to compare the layout.
        let plain = console.error.replacingOccurrences(
            of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(
            plain == """
                nb.md:4:1: error: unknown key 'sampels' in step 'data' (op: synthetic); did you mean 'samples'?
                4 | sampels: 40
                  | ^

                """)
    }

    @Test func colourIsOnlyForATerminal() {
        let diagnostic = Diagnostic.error("bad", file: "nb.md", at: SourceLocation(line: 1, column: 3))
        let coloured = DiagnosticText.render(diagnostic, source: "a: b\n", colour: true)
        #expect(coloured.contains("\u{1B}[1;31merror:\u{1B}[0m"))
        #expect(
            DiagnosticText.render(diagnostic, source: "a: b\n", colour: false)
                == "nb.md:1:3: error: bad\n1 | a: b\n  |   ^")
        #expect(!CapturedConsole(isTerminal: false).usesColour)
    }

    @Test func aLogGetsThePlainLineOnly() throws {
        let (_, console, workspace) = try check()
        defer { workspace.remove() }
        #expect(
            console.error
                == "nb.md:4:1: error: unknown key 'sampels' in step 'data' (op: synthetic); did you mean 'samples'?\n")
    }

    @Test func checkJSONListsEveryProblem() throws {
        let (status, console, workspace) = try check(.json)
        defer { workspace.remove() }
        #expect(status == .invalid)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [[String: Any]])
        #expect(list.count == 1)
        #expect(list[0]["file"] as? String == "nb.md" && list[0]["line"] as? Int == 4 && list[0]["column"] as? Int == 1)
        #expect(list[0]["severity"] as? String == "error" && list[0]["suggestion"] as? String == "samples")
        #expect(console.error.isEmpty)
    }

    @Test func checkForGitHubPrintsAnnotations() throws {
        let (status, console, workspace) = try check(.github)
        defer { workspace.remove() }
        #expect(status == .invalid)
        #expect(
            console.output
                == "::error file=nb.md,line=4,col=1::unknown key 'sampels' in step 'data' (op: synthetic); "
                + "did you mean 'samples'?\n")
    }
}
