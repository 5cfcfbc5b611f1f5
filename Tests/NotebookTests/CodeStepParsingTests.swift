import Notebook
import Testing

/// Code steps (DESIGN §10): ```` ```python step NAME ```` holds code, its leading `#|` lines are options.
@Suite struct CodeStepParsingTests {
    static let notebook = """
        ---
        title: t
        ---

        ```python step features
        #| reads: [raw]
        #|   # a YAML comment
        #| env: {OMP_NUM_THREADS: 1}
        import athanor
        #| not an option any more
        x = "${seed}"
        ```

        ```python
        print("display only")
        ```

          ```sh step fetch
          #|cache: false
          echo "é" > out.txt
            ls
          ```
        """

    @Test func optionsAreYAMLPositionedAtTheirKeysAndTheCodeIsKeptExactly() throws {
        let parsed = NotebookParser.parse(Self.notebook, path: "nb.md")
        #expect(parsed.diagnostics.map(\.description) == [])
        let steps = parsed.notebook.steps
        #expect(steps.map(\.name) == ["features", "fetch"])
        let features = try #require(steps.first)
        #expect(
            features.code
                == CodeBody(
                    language: .python, text: "import athanor\n#| not an option any more\nx = \"${seed}\"\n",
                    firstLine: 9, indents: [0, 0, 0]))
        #expect(features.lines == LineRange(5, 12))
        #expect(features.nameLocation == SourceLocation(line: 5, column: 16))
        #expect(features.bodyText == "reads: [raw]\n  # a YAML comment\nenv: {OMP_NUM_THREADS: 1}")
        guard case .mapping(let entries) = features.body.kind else {
            Issue.record("the options are not a mapping")
            return
        }
        #expect(entries.map(\.key) == ["reads", "env"])
        #expect(entries.map(\.keyLocation) == [SourceLocation(line: 6, column: 4), SourceLocation(line: 8, column: 4)])
        #expect(entries[0].value.location == SourceLocation(line: 6, column: 11))
        #expect(features.body.parameterReferences.isEmpty, "${…} in code is not a parameter reference")

        let fetch = try #require(steps.last)
        #expect(
            fetch.code
                == CodeBody(language: .sh, text: "echo \"é\" > out.txt\n  ls\n", firstLine: 20, indents: [2, 2]))
        guard case .mapping(let fetchOptions) = fetch.body.kind else {
            Issue.record("the options are not a mapping")
            return
        }
        #expect(fetchOptions.map(\.keyLocation) == [SourceLocation(line: 19, column: 5)])
    }

    @Test func aFencedBlockWithoutStepIsProseAndNeverRuns() {
        let parsed = NotebookParser.parse(Self.notebook, path: "nb.md")
        let prose = parsed.notebook.blocks.compactMap { block -> ProseBlock? in
            if case .prose(let prose) = block { return prose }
            return nil
        }
        #expect(prose.map(\.lines) == [LineRange(13, 17)])
        #expect(prose.last?.markdown == "\n```python\nprint(\"display only\")\n```\n")
        #expect(!parsed.notebook.steps.contains { $0.code?.text.contains("display only") == true })
    }

    @Test(arguments: [
        (
            "```ruby step x\nputs 1\n```\n",
            "nb.md:1:4: error: unknown language 'ruby' for code step 'x'; code steps are written in python, sh, bash"
        ),
        (
            "```pyton step x\nprint(1)\n```\n",
            "nb.md:1:4: error: unknown language 'pyton' for code step 'x'; code steps are written in python, sh, bash; did you mean 'python'?"
        ),
        ("```python step\nprint(1)\n```\n", "nb.md:1:1: error: a step needs a name: write '```python step NAME'"),
        ("```python step x\n#| cache: false\n\n```\n", "nb.md:1:1: error: python step 'x' has no code"),
        (
            "```python step x\n#| reads: [raw\nprint(1)\n```\n",
            "nb.md:2:4: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2)"
        ),
        (
            "```python step Bad\nprint(1)\n```\n",
            "nb.md:1:16: error: invalid step name 'Bad': a step name is lowercase letters, digits, '_' and '-', starting with a letter"
        ),
    ])
    func aBadCodeStepIsAnErrorWhereItStands(_ source: String, _ message: String) {
        let parsed = NotebookParser.parse(source, path: "nb.md")
        #expect(parsed.diagnostics.map(\.description) == [message])
        #expect(parsed.notebook.steps.isEmpty)
    }

    @Test func codeStepNamesAreUniqueAcrossAllSteps() {
        let source = "```step data\nop: synthetic\nkind: blobs\n```\n\n```python step data\nprint(1)\n```\n"
        let parsed = NotebookParser.parse(source, path: "nb.md")
        #expect(
            parsed.diagnostics.map(\.description) == [
                "nb.md:6:16: error: duplicate step name 'data'\nnb.md:6:16: note: first defined at line 1"
            ])
    }
}
