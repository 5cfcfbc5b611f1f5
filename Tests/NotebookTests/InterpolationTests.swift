import Notebook
import Testing

@Suite struct InterpolationTests {
    /// Parses a notebook of one params block and one step, and returns the step's resolved body.
    func resolve(_ params: String, _ body: String, overrides: [String: ParameterValue] = [:]) -> (
        ConfigNode?, [Diagnostic]
    ) {
        let source = "```params\n\(params)\n```\n\n```step s\n\(body)\n```\n"
        let parsed = NotebookParser.parse(source, path: "t.md")
        var values = parsed.notebook.defaultValues
        values.merge(overrides) { $1 }
        return (parsed.notebook.steps.first?.configuration(with: values), parsed.diagnostics)
    }

    @Test func wholeValueKeepsTheParameterType() throws {
        let (body, diagnostics) = resolve(
            "epochs: 30\nlr: 0.05\nflag: true\nname: adam", "op: x\na: ${epochs}\nb: ${lr}\nc: ${flag}\nd: ${name}")
        #expect(diagnostics.isEmpty)
        let node = try #require(body)
        #expect(node["a"]?.value == .int(30))
        #expect(node["b"]?.value == .double(0.05))
        #expect(node["c"]?.value == .bool(true))
        #expect(node["d"]?.value == .string("adam"))
    }

    @Test func insideLongerTextIsSplicedAsText() throws {
        let (body, _) = resolve("seed: 7", "op: x\nname: run-${seed}\nquoted: \"${seed}\"")
        let node = try #require(body)
        #expect(node["name"]?.value == .string("run-7"))
        // A quoted scalar is a string whatever it holds, as in YAML.
        #expect(node["quoted"]?.value == .string("7"))
    }

    @Test func splicedPlainTextIsTypedAgain() throws {
        let (body, _) = resolve("exponent: 3", "op: x\nlr: 1e-${exponent}")
        #expect(try #require(body)["lr"]?.value == .double(0.001))
    }

    @Test func flowCollectionsAcceptInterpolation() throws {
        let (body, diagnostics) = resolve("hidden: 64\nlr: 0.1", "op: x\nhidden: [${hidden}]\nopt: {lr: ${lr}}")
        #expect(diagnostics.isEmpty)
        let node = try #require(body)
        guard case .list(let items)? = node["hidden"]?.value else {
            Issue.record("hidden is not a list")
            return
        }
        #expect(items.map(\.value) == [.int(64)])
        #expect(node["opt"]?["lr"]?.value == .double(0.1))
    }

    @Test func listParameterIsSplicedIntoASequence() throws {
        let (body, _) = resolve("hidden: [64, 32]", "op: x\nhidden: [${hidden}, 8]")
        guard case .list(let items)? = try #require(body)["hidden"]?.value else {
            Issue.record("hidden is not a list")
            return
        }
        #expect(items.map(\.value) == [.int(64), .int(32), .int(8)])
    }

    @Test func overridesReplaceDefaults() throws {
        let (body, _) = resolve("epochs: 30", "op: x\nepochs: ${epochs}", overrides: ["epochs": .int(5)])
        #expect(try #require(body)["epochs"]?.value == .int(5))
    }

    @Test func doubleDollarWritesALiteral() throws {
        let (body, diagnostics) = resolve("a: 1", "op: x\ncmd: echo $${HOME} $${a}")
        #expect(diagnostics.isEmpty)
        #expect(try #require(body)["cmd"]?.value == .string("echo ${HOME} ${a}"))
    }

    @Test func unknownParameterIsReportedWhereItStands() throws {
        let (_, diagnostics) = resolve("seed: 1", "op: x\nseed: ${sed}")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.location == SourceLocation(line: 7, column: 7))
        #expect(diagnostic.suggestion == "seed")
    }

    @Test(arguments: ["a: ${", "a: ${x", "a: ${1x}", "a: ${ seed }"])
    func malformedInterpolationIsAnError(_ line: String) throws {
        let (_, diagnostics) = resolve("seed: 1", "op: x\n\(line)")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location?.line == 7)
        #expect(diagnostic.location?.column == 4)
    }

    @Test func interpolationInAKeyIsAnError() {
        let (_, diagnostics) = resolve("k: a", "op: x\n${k}: 1")
        #expect(diagnostics.contains { $0.message.contains("keys") })
    }
}
