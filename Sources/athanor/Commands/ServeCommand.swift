import ArgumentParser
import Workflows

/// `athanor serve …`: runs `athanor-serve`, installed beside `athanor`, with the same arguments.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the project's runs read-only over HTTP (--host, --port, --token, --project).",
        discussion: "Runs 'athanor-serve', which is installed beside athanor; 'athanor serve --help' lists its options."
    )

    @Argument(parsing: .allUnrecognized, help: "Options of athanor-serve.") var arguments: [String] = []

    func run() throws { Self.pass(arguments) }

    /// Runs `athanor-serve` with `arguments` in this process's place; exits 2 when it cannot be run.
    static func pass(_ arguments: [String]) -> Never {
        invocation.console.printError(
            "athanor: error: " + SiblingExecutable.exec("athanor-serve", arguments: arguments))
        ServeCommand.exit(withError: ExitCode(2))
    }
}
