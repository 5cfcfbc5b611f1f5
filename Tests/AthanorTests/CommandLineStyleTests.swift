import Foundation
import TestSupport
import Testing

/// The small things a command line is judged by: help, exit codes, one message style, and what
/// `--explain` and `check` say on the edge cases.
@Suite struct CommandLineStyleTests {
    typealias Project = RunCommandTests.Project

    @Test func bareAthanorPrintsItsHelpAndExitsTwo() throws {
        let bare = try BinaryRunner.run([])
        #expect(bare.status == 2)
        #expect(bare.stderr.hasPrefix("OVERVIEW: Run machine-learning experiments"), "\(bare.stderr)")
        #expect(bare.stderr.contains("SUBCOMMANDS:"))
        let help = try BinaryRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("SUBCOMMANDS:"))
    }

    @Test func helpShowsWhatAParameterOverrideLooksLike() throws {
        let help = try BinaryRunner.run(["run", "--help"])
        #expect(help.stdout.contains("-p <name=value>"), "\(help.stdout)")
    }

    @Test func theParsersOwnErrorsAreInTheToolsStyle() throws {
        let missing = try BinaryRunner.run(["run"])
        #expect(missing.status == 2)
        #expect(
            missing.stderr.hasPrefix("athanor: error: missing expected argument '<notebook>'\n"), "\(missing.stderr)")
        let unknown = try BinaryRunner.run(["runs", "--colour"])
        #expect(unknown.stderr.hasPrefix("athanor: error: unknown option '--colour'"), "\(unknown.stderr)")
    }

    @Test func aParameterGivenTwiceIsAnError() throws {
        let project = try Project()
        defer { project.remove() }
        let twice = try project.athanor(["run", "nb.md", "-q", "-p", "seed=1", "-p", "seed=2"])
        #expect(twice.status == 2)
        #expect(
            twice.stderr
                == "athanor: error: '-p seed' is given twice ('1' and '2'); give it once, or sweep it with "
                + "--sweep seed=1,2\n")
    }

    @Test func explainSaysOnceWhyAndWhenEverythingCameFromTheCache() throws {
        let project = try Project()
        defer { project.remove() }
        let first = try project.athanor(["run", "nb.md", "-q", "--explain", "--no-cache"])
        #expect(first.stdout == "data, split, model, eval: re-ran because --no-cache\n", "\(first.stdout)")
        let again = try project.athanor(["run", "nb.md", "-q", "--explain"])
        #expect(again.stdout == "all 4 steps from the cache\n", "\(again.stdout)")
    }

    @Test func checkWarnsOnANotebookWithoutSteps() throws {
        let project = try Project()
        defer { project.remove() }
        try "# Notes\n\n```yaml\nop: load\n```\n".write(
            to: project.directory.appendingPathComponent("prose.md"), atomically: true, encoding: .utf8)
        let output = try project.athanor(["check", "prose.md"])
        #expect(output.status == 0)
        #expect(
            output.stderr == """
                prose.md:1:1: warning: the notebook has no steps, so a run does nothing
                prose.md:1:1: note: a step is a fenced block opened with ```step NAME (or ```python step NAME)

                """, "\(output.stderr)")
        #expect(output.stdout == "prose.md: ok (0 parameters, 0 steps, 1 warning)\n")
    }
}
