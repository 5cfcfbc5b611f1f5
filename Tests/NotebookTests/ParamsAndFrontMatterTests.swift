import Notebook
import Testing

@Suite struct ParamsAndFrontMatterTests {
    @Test func parametersMergeAcrossBlocksWithTypesAndDescriptions() {
        let source = """
            ```params
            lr: 0.05   # learning rate
            tags: [a, b]
            ```

            text

            ```params
            seed: 7
            mixed: [1, 2.5]
            ```
            """
        let parsed = NotebookParser.parse(source, path: "p.md")
        #expect(parsed.diagnostics.isEmpty)
        let parameters = parsed.notebook.parameters
        #expect(parameters.map(\.name) == ["lr", "tags", "seed", "mixed"])
        #expect(parameters[0].description == "learning rate")
        #expect(parameters[1].type == .list(.string))
        #expect(parameters[3].value == .list([.double(1), .double(2.5)]))
    }

    @Test func aParameterDeclaredTwiceIsAnErrorAtTheSecond() throws {
        let source = "```params\nseed: 1\n```\n\n```params\nseed: 2\n```\n"
        let diagnostic = try #require(NotebookParser.parse(source, path: "p.md").diagnostics.first)
        #expect(diagnostic.location?.line == 6)
        #expect(diagnostic.notes == ["first declared at line 2"])
    }

    @Test(arguments: [
        ("lr:", "no value"), ("opt: {a: 1}", "mapping"), ("grid: [[1], [2]]", "list of lists"),
        ("mix: [1, a]", "one type"), ("1lr: 3", "valid parameter name"),
    ])
    func badParameterValues(_ line: String, _ fragment: String) throws {
        let parsed = NotebookParser.parse("```params\n\(line)\n```\n", path: "p.md")
        let diagnostic = try #require(parsed.diagnostics.first)
        #expect(diagnostic.message.contains(fragment))
        #expect(diagnostic.location?.line == 2)
    }

    @Test func yesAndNoStayStringsAsInYAML12() {
        let parsed = NotebookParser.parse("```params\ncountry: no\non: yes\n```\n", path: "p.md")
        #expect(parsed.notebook.parameters.map(\.value) == [.string("no"), .string("yes")])
    }

    @Test func frontMatterLinesCountInPositions() throws {
        let source = "---\ntitle: T\ntags: [a]\n---\n\n```step Bad\nop: load\n```\n"
        let parsed = NotebookParser.parse(source, path: "f.md")
        #expect(parsed.notebook.frontMatter.title == "T")
        #expect(parsed.notebook.frontMatter.tags == ["a"])
        let diagnostic = try #require(parsed.diagnostics.first)
        #expect(diagnostic.location == SourceLocation(line: 6, column: 9))
    }

    @Test func unclosedFrontMatterIsAnErrorAtLineOne() throws {
        let parsed = NotebookParser.parse("---\ntitle: T\n\nSome text.\n", path: "f.md")
        let diagnostic = try #require(parsed.diagnostics.first)
        #expect(diagnostic.location?.line == 1)
        #expect(diagnostic.message.contains("front matter"))
    }

    @Test func unknownFrontMatterKeyIsOnlyAWarning() throws {
        let parsed = NotebookParser.parse("---\ntitel: T\n---\n", path: "f.md")
        let diagnostic = try #require(parsed.diagnostics.first)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.suggestion == "title")
    }

    @Test func parameterValuesParseFromTheCommandLine() {
        #expect(ParameterValue.parse("5", as: .integer) == .int(5))
        #expect(ParameterValue.parse("5", as: .float) == .double(5))
        #expect(ParameterValue.parse("1e-3", as: .float) == .double(0.001))
        #expect(ParameterValue.parse("2.5", as: .integer) == nil)
        #expect(ParameterValue.parse("yes", as: .boolean) == nil)
        #expect(ParameterValue.parse("64,32", as: .list(.integer)) == .list([.int(64), .int(32)]))
        #expect(ParameterValue.parse("[a, b]", as: .list(.string)) == .list([.string("a"), .string("b")]))
    }
}

@Suite struct DiagnosticTests {
    @Test func printsInTheFormEditorsJumpTo() {
        let diagnostic = Diagnostic.error(
            "unknown key 'epoch'", file: "nb.md", at: SourceLocation(line: 12, column: 3), suggestion: "epochs",
            notes: ["keys of train: model, input"])
        #expect(
            diagnostic.description
                == "nb.md:12:3: error: unknown key 'epoch'; did you mean 'epochs'?\nnb.md:12:3: note: keys of train: model, input"
        )
    }

    @Test(
        arguments: [
            ("epoch", ["epochs", "seed"], "epochs"), ("mpl", ["mlp", "linear"], "mlp"), ("trian", ["train"], "train"),
            ("acuracy", ["accuracy", "r2"], "accuracy"), ("zzzzzz", ["epochs"], nil),
        ] as [(String, [String], String?)])
    func suggestsTheClosestName(_ word: String, _ candidates: [String], _ expected: String?) {
        #expect(Suggestion.closest(to: word, in: candidates) == expected)
    }
}
