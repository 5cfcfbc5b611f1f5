import ArgumentParser
import Workflows

/// The commands that an executable of their own runs, installed beside `athanor`, so that the plain
/// `athanor` never loads what they need (a web server, an HTTP client). Their options and help are that
/// executable's: `athanor push --help` is `athanor-push --help`.
enum Sibling {
    /// Each command's executable and the arguments that come before the user's.
    static let commands = [
        "push": ["athanor-push"], "serve": ["athanor-serve"], "serve-model": ["athanor-serve", "model"],
    ]

    /// Runs `command` (an executable, then its arguments) in this process's place; exits 2 when it cannot.
    static func pass(_ command: [String]) -> Never {
        let error = SiblingExecutable.exec(command.first ?? "athanor-serve", arguments: Array(command.dropFirst()))
        invocation.console.printError("athanor: error: " + error)
        Athanor.exit(withError: ExitCode(2))
    }
}

struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Send runs to an MLflow tracking server (--mlflow, --experiment; idempotent).")
    @Argument(parsing: .allUnrecognized, help: "Runs or sweeps, then options.") var arguments: [String] = []
    func run() throws { Sibling.pass(["athanor-push"] + arguments) }
}

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the project's runs read-only over HTTP (--host, --port, --token, --project).")
    @Argument(parsing: .allUnrecognized, help: "Options.") var arguments: [String] = []
    func run() throws { Sibling.pass(["athanor-serve"] + arguments) }
}

struct ServeModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-model",
        abstract: "Serve a run's model over MLflow's scoring protocol (RUN:STEP|FILE.athanor, --port, --host, "
            + "--token, --log).")
    @Argument(parsing: .allUnrecognized, help: "RUN:STEP or FILE.athanor, then options.") var arguments: [String] = []
    func run() throws { Sibling.pass(["athanor-serve", "model"] + arguments) }
}
