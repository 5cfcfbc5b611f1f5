import ArgumentParser
import Foundation
import Runs

/// The command line: arguments in, library calls, diagnostics out.
struct Athanor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "athanor",
        abstract: "Run machine-learning experiments written as Markdown notebooks.",
        version: AthanorVersion.current,
        subcommands: [
            Check.self, RunCommand.self, RunsCommand.self, Show.self, Diff.self, Reproduce.self, Render.self,
            CacheCommand.self,
        ])
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
