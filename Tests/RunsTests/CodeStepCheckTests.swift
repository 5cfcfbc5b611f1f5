import Foundation
import Notebook
import Testing

@testable import Runs

/// A code step's `#|` options are checked like a `run:` step's keys, its `reads:` like `input:`, its
/// `produces:` feed later steps, and its python code is compiled (not run) by `athanor check`.
@Suite struct CodeStepCheckTests {
    /// The messages of checking a notebook that starts with a `data` step (lines 1–4) and then `steps`.
    func messages(_ steps: String) -> [String] {
        let source = "```step data\nop: synthetic\nkind: blobs\n```\n\n\(steps)"
        return NotebookChecker.check(source, path: "c.md").diagnostics.map(\.description)
    }

    static let features = """
        ```python step features
        #| reads: [data]
        #| produces: [table, extra]
        df = athanor.read("data")
        ```

        """

    @Test func producedDatasetsFeedLaterEngineSteps() {
        let train = "```step fit\nop: train\nmodel: logistic\ninput: features.table\n```\n"
        #expect(messages(Self.features + train) == [])
        let wrong = "```step fit\nop: train\nmodel: logistic\ninput: features.nope\n```\n"
        #expect(
            messages(Self.features + wrong) == [
                "c.md:14:8: error: step 'features' has no output 'nope'; it has features.extra, features.table"
            ])
    }

    @Test func anUnknownOptionKeyIsAnErrorWithTheClosestKey() {
        #expect(
            messages("```python step f\n#| input: [helpers.py]\n#| timeout: 0\nprint(1)\n```\n") == [
                "c.md:7:4: error: unknown key 'input' in python step 'f'; did you mean 'inputs'?",
                "c.md:8:13: error: 'timeout' must be a number > 0.0, not 0",
            ])
        #expect(
            messages("```sh step f\n#| run: echo hi\necho hi\n```\n") == [
                "c.md:7:4: error: unknown key 'run' in sh step 'f'"
            ])
    }

    @Test func readsAreCheckedLikeInput() {
        #expect(
            messages("```python step f\n#| reads: [dta]\nprint(1)\n```\n") == [
                "c.md:7:12: error: 'reads' refers to unknown step 'dta'; did you mean 'data'?"
            ])
        #expect(
            messages(
                "```python step f\n#| reads: [data, later]\nprint(1)\n```\n\n```step later\nop: synthetic\nkind: moons\n```\n"
            )
                == [
                    "c.md:7:18: error: 'reads' refers to step 'later', which comes later (line 11); steps run in document order"
                ])
        #expect(
            messages(
                "```step m\nop: train\nmodel: kmeans\ninput: data\n```\n\n```python step f\n#| reads: [m]\nprint(1)\n```\n"
            )
                == ["c.md:13:12: error: 'reads' needs a dataset, but 'm' is a model"])
    }

    @Test func producedNamesAreOutputNamesListedOnce() {
        #expect(
            messages("```python step f\n#| produces: [Table, t, t]\nprint(1)\n```\n") == [
                "c.md:7:15: error: 'Table' cannot name an output: use lowercase letters, digits, '_' and '-', starting with a letter",
                "c.md:7:25: error: 'produces' lists 't' twice",
            ])
    }

    @Test func aPythonSyntaxErrorIsReportedAtItsNotebookLineAndColumn() throws {
        try #require(CodeSyntax.pythonOnPath() != nil, "the tests need python3")
        let source = """
            ```python step good
            print("fine")
            ```

            Some prose.

              ```python step bad
              #| cache: false
              s = "é" + 1
              t = "é" + )
              ```

            ```python step indented
            if True:
            print(1)
            ```
            """
        #expect(
            NotebookChecker.check(source, path: "nb.md").diagnostics.map(\.description) == [
                "nb.md:10:14: error: SyntaxError in python step 'bad': unmatched ')'",
                "nb.md:15:1: error: IndentationError in python step 'indented': expected an indented block after 'if' statement on line 1",
            ])
    }

    @Test func aShellSyntaxErrorIsReportedAtItsNotebookLine() {
        let source = """
            ```sh step fine
            echo "ok" | tr o O
            ```

            ```sh step open
            if true; then
              echo yes
            ```

            ```bash step stray
            echo a
            fi
            ```
            """
        #expect(
            NotebookChecker.check(source, path: "nb.md").diagnostics.map(\.description) == [
                "nb.md:7:1: error: syntax error in sh step 'open': end of file unexpected (expecting \"fi\")",
                "nb.md:12:1: error: syntax error in bash step 'stray': near unexpected token `fi'",
            ])
        let notebook = NotebookParser.parse(source, path: "nb.md").notebook
        #expect(
            CodeSyntax.checkShell(notebook, bash: nil).map(\.description) == [
                "nb.md:7:1: error: syntax error in sh step 'open': end of file unexpected (expecting \"fi\")",
                "nb.md:10:1: warning: bash is not on PATH, so the syntax of bash step 'stray' was not checked",
            ])
    }

    @Test func withoutPythonTheSyntaxIsNotCheckedAndTheUserIsTold() {
        let source = "```python step a\nprint(\n```\n\n```python step b\nprint(1)\n```\n\n```sh step c\necho\n```\n"
        let notebook = NotebookParser.parse(source, path: "nb.md").notebook
        #expect(
            CodeSyntax.check(notebook, python: nil).map(\.description) == [
                "nb.md:1:1: warning: python3 is not on PATH, so the syntax of python steps 'a', 'b' was not checked"
            ])
        #expect(
            CodeSyntax.check(notebook, python: "/nonexistent/python3").map(\.description) == [
                "nb.md:1:1: warning: /nonexistent/python3 could not check the syntax of python steps 'a', 'b': "
                    + "it is not an executable file"
            ])
    }

    @Test func codeCompiledWithoutErrorIsNotCompiledAgainUntilItChanges() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-checked-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A python3 that notes each start, then is the real one.
        let real = try #require(CodeSyntax.pythonOnPath())
        let python = folder.appendingPathComponent("python3").path
        let log = folder.appendingPathComponent("starts").path
        try "#!/bin/sh\necho started >> '\(log)'\nexec '\(real)' \"$@\"\n".write(
            toFile: python, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python)
        let checked = CheckedCode(directory: folder.appendingPathComponent("checked").path)
        func starts(_ code: String) -> (problems: Int, starts: Int) {
            let notebook = NotebookParser.parse("```python step a\n\(code)\n```\n", path: "nb.md").notebook
            let problems = CodeSyntax.check(notebook, python: python, checked: checked).count
            let lines = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").count ?? 0
            return (problems, lines)
        }
        #expect(starts("print(1)") == (0, 1))
        #expect(starts("print(1)") == (0, 1), "the same code is not compiled again")
        #expect(starts("print(2)") == (0, 2), "changed code is")
        #expect(starts("print(") == (1, 3))
        #expect(starts("print(") == (1, 4), "code with an error is compiled every time")
    }

    @Test func aCodeStepIsACommandWithItsCodeInTheCacheKey() throws {
        let source = "```params\nseed: 1\n```\n\n```python step f\n#| reads: [data]\n#| timeout: 5\nprint(1)\n```\n"
        let notebook = NotebookParser.parse(
            "```step data\nop: synthetic\nkind: blobs\n```\n\n" + source, path: "nb.md"
        ).notebook
        let plan = RunPlan(notebook: notebook, parameters: ["seed": .int(1)], overridden: [])
        let step = try #require(plan.steps.last)
        #expect(step.kind == .code(.python))
        #expect(step.op == "python")
        #expect(step.kind?.runsUserCode == true)
        #expect(step.references.map { "\($0.key)=\($0.step)" } == ["reads=data"])
        #expect(
            CanonicalJSON.text(step.effectiveConfiguration)
                == #"{"$code":"print(1)\n","$language":"python","reads":["data"]}"#)
        #expect(OperationKind(recorded: "python") == .code(.python))
        #expect(OperationKind(recorded: "sh") == .code(.sh))
    }
}
