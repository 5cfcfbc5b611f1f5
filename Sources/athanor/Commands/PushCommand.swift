import ArgumentParser
import Workflows

/// `athanor push`: parsed here for its help and its mistakes, then run by `athanor-push`, which alone loads
/// the HTTP client.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Send runs to an MLflow tracking server (idempotent).")

    @Argument(help: "Runs (ids, prefixes, latest~N) or sweep ids; none: every run not yet on that server.")
    var targets: [String] = []
    @Option(help: "The MLflow tracking server's URL (default: MLFLOW_TRACKING_URI).") var mlflow: String?
    @Option(help: "The experiment (default: the notebook's title, else its file name).") var experiment: String?
    @Flag(help: "Print, for each run, its MLflow run id and URL as JSON.") var json = false

    func run() throws {
        let arguments = Array(CommandLine.arguments.dropFirst(2))
        invocation.console.printError("athanor: error: " + SiblingExecutable.exec("athanor-push", arguments: arguments))
        throw ExitCode(2)
    }
}
