import ArgumentParser
import Workflows

/// The commands that an executable of their own runs, installed beside `athanor`, so that the plain
/// `athanor` never loads what they need (a web server, an HTTP client). Their options and help are that
/// executable's: `athanor push --help` is `athanor-push --help`.
enum Sibling {
    static let executables = ["push": "athanor-push", "serve": "athanor-serve"]

    /// Runs `executable` with `arguments` in this process's place; exits 2 when it cannot be run.
    static func pass(_ executable: String, _ arguments: [String]) -> Never {
        invocation.console.printError("athanor: error: " + SiblingExecutable.exec(executable, arguments: arguments))
        Athanor.exit(withError: ExitCode(2))
    }
}

struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Send runs to an MLflow tracking server (--mlflow, --experiment; idempotent).",
        discussion: "Runs 'athanor-push', installed beside athanor; 'athanor push --help' lists its options.")

    @Argument(parsing: .allUnrecognized, help: "Runs or sweeps, and options of athanor-push.")
    var arguments: [String] = []

    func run() throws { Sibling.pass("athanor-push", arguments) }
}

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the project's runs read-only over HTTP (--host, --port, --token, --project).",
        discussion: "Runs 'athanor-serve', installed beside athanor; 'athanor serve --help' lists its options.")

    @Argument(parsing: .allUnrecognized, help: "Options of athanor-serve.") var arguments: [String] = []

    func run() throws { Sibling.pass("athanor-serve", arguments) }
}
