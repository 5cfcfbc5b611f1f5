import ArgumentParser
import Foundation
import Workflows

/// The command line: arguments in, one use case of `Workflows` called, its status out.
struct Athanor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "athanor",
        abstract: "Run machine-learning experiments written as Markdown notebooks.",
        version: AthanorVersion.current,
        subcommands: [
            Check.self, RunCommand.self, RunsCommand.self, Show.self, Diff.self, Reproduce.self, Render.self,
            Artifacts.self, Ops.self, CacheCommand.self, Remove.self, Sweeps.self, Tag.self,
            PushCommand.self, ServeCommand.self, ServeModelCommand.self, Export.self, MonitorCommand.self,
        ])
}

/// The process's console and working folder, and the command line as typed.
let invocation = Invocation(
    console: StandardConsole(), directory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
    command: ["athanor"] + CommandLine.arguments.dropFirst(),
    ask: StandardConsole.terminalQuestion)

/// Ends a command with the use case's status (DESIGN §7).
func finish(_ status: CommandStatus) throws {
    if status != .success { throw ExitCode(status.rawValue) }
}

// Bare `athanor` asked for nothing: its help, as a mistake (exit 2); `athanor --help` is the one that succeeds.
if CommandLine.arguments.count == 1 {
    invocation.console.write(Athanor.helpMessage() + "\n", to: .error)
    Athanor.exit(withError: ExitCode(2))
}
// `athanor serve|push|serve-model …` run their own executables (`Sibling`), with options and help their own.
if let command = Sibling.commands[CommandLine.arguments[1]] {
    Sibling.pass(command + CommandLine.arguments.dropFirst(2))
}
// DESIGN §7: an invalid command line exits 2, not ArgumentParser's 64, in the one style of every message.
do {
    var command = try Athanor.parseAsRoot()
    try command.run()
} catch {
    let code = Athanor.exitCode(for: error)
    if code == .validationFailure {
        invocation.console.printError(CommandLineMessage.styled(Athanor.fullMessage(for: error)))
        Athanor.exit(withError: ExitCode(2))
    }
    Athanor.exit(withError: error)
}
