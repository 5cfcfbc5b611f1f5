import ArgumentParser
import Foundation
import Runs

/// The command line: arguments in, library calls, diagnostics out.
struct Athanor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "athanor",
        abstract: "Run machine-learning experiments written as Markdown notebooks.",
        version: "0.1.0",
        subcommands: [Check.self])
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate notebooks without running them; errors as FILE:LINE:COL.")

    @Argument(help: "The notebooks to check.")
    var notebooks: [String]

    @Flag(name: .shortAndLong, help: "Print only diagnostics, not the summary line of each notebook.")
    var quiet = false

    func validate() throws {
        if notebooks.isEmpty { throw ValidationError("give at least one notebook to check") }
    }

    func run() throws {
        var failed = false
        for path in notebooks {
            let check = FileCheck(path: path)
            for diagnostic in check.diagnostics { printError(diagnostic.description) }
            if check.hasErrors {
                failed = true
            }
            if !quiet || check.hasErrors { print(check.summary) }
        }
        if failed { throw ExitCode(2) }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// DESIGN §7: an invalid command line exits 2, not ArgumentParser's 64.
do {
    var command = try Athanor.parseAsRoot()
    try command.run()
} catch {
    let code = Athanor.exitCode(for: error)
    if code == .validationFailure {
        printError(Athanor.fullMessage(for: error))
        Athanor.exit(withError: ExitCode(2))
    }
    Athanor.exit(withError: error)
}
