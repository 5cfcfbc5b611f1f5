import ArgumentParser
import Foundation
import Pushing
import Workflows

/// `athanor push`, in an executable of its own so that only it loads the HTTP client (FoundationNetworking):
/// `athanor push …` runs this, found beside `athanor`.
struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "athanor push", abstract: "Send runs to an MLflow tracking server (idempotent).")

    @Argument(help: "Runs (ids, prefixes, latest~N) or sweep ids; none: every run not yet on that server.")
    var targets: [String] = []
    @Option(help: "The MLflow tracking server's URL (default: MLFLOW_TRACKING_URI).") var mlflow: String?
    @Option(help: "The experiment (default: the notebook's title, else its file name).") var experiment: String?
    @Flag(help: "Print, for each run, its MLflow run id and URL as JSON.") var json = false

    func run() throws {
        let invocation = Invocation(
            console: StandardConsole(), directory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            command: ["athanor", "push"] + CommandLine.arguments.dropFirst())
        let status = PushWorkflow(in: invocation, environment: ProcessInfo.processInfo.environment)
            .push(targets, mlflow: mlflow, experiment: experiment, json: json)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}

do {
    var command = try Push.parseAsRoot()
    try command.run()
} catch {
    if Push.exitCode(for: error) == .validationFailure {
        StandardConsole().printError(CommandLineMessage.styled(Push.fullMessage(for: error)))
        Push.exit(withError: ExitCode(2))
    }
    Push.exit(withError: error)
}
