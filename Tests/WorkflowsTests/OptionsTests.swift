import ArgumentParser
import Testing
import Workflows

/// The options of `run` and `reproduce` are declared once, for the parser and for code: built in code, they
/// are the parser's defaults, every one readable.
@Suite struct OptionsTests {
    /// Each property wrapper as it prints: a value set in code and a value parsed print alike; one left to
    /// the parser's definition prints as a definition (and reading it would stop the process).
    static func fields(_ options: some ParsableArguments) -> [String] {
        Mirror(reflecting: options).children.map { "\($0.label ?? "?") \(String(describing: $0.value))" }
    }

    @Test func runOptionsBuiltInCodeAreTheParsersDefaults() throws {
        let parsed = try RunWorkflow.Options.parse(["nb.md"])
        let built = RunWorkflow.Options(notebook: "nb.md")
        #expect(Self.fields(built) == Self.fields(parsed))
        #expect(built.useCache && built.maximize == nil && built.executor == .local && built.parameters.isEmpty)
    }

    @Test func reproduceOptionsBuiltInCodeAreTheParsersDefaults() throws {
        let parsed = try ReproduceWorkflow.Options.parse(["1a2b3c4d"])
        let built = ReproduceWorkflow.Options(target: "1a2b3c4d")
        #expect(Self.fields(built) == Self.fields(parsed))
        #expect(built.tolerance == nil && !built.allowCommands && !built.quiet)
    }

    @Test func monitorOptionsBuiltInCodeAreTheParsersDefaults() throws {
        let parsed = try MonitorWorkflow.Options.parse(["1a2b3c4d", "--data", "new.csv"])
        let built = MonitorWorkflow.Options(
            target: "1a2b3c4d", data: "new.csv", requests: nil, output: nil, threshold: 0.2, json: false)
        #expect(Self.fields(built) == Self.fields(parsed))
        #expect(throws: (any Error).self) { try MonitorWorkflow.Options.parse(["1a2b3c4d"]) }
    }

    @Test func maximizeAndMinimizeTogetherAreRefused() {
        #expect(throws: (any Error).self) { try RunWorkflow.Options.parse(["nb.md", "--maximize", "--minimize"]) }
        #expect(throws: Never.self) { try RunWorkflow.Options.parse(["nb.md", "--sweep", "a=1,2", "--maximize"]) }
    }
}
