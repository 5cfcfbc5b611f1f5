import ArgumentParser
import Workflows

/// `athanor monitor RUN[:STEP] --data NEW.csv | --requests FILE`: new data against a model's training data.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Compare new data with the data a run's model learnt from (PSI, KS, χ²); exit 1 on drift.",
        discussion: "Writes an HTML report and prints the drifted columns. Exit 0: every PSI below the threshold; "
            + "1: drift; 2: bad input.")

    @Argument(help: "A run id or prefix, and optionally its model step: RUN or RUN:STEP.", completion: .runs)
    var target: String
    @Option(help: "New data: a CSV read as the notebook's load step read its file.") var data: String?
    @Option(help: "New data: a request log of 'serve-model --log' (one JSON object a line).") var requests: String?
    @Option(name: .shortAndLong, help: "The HTML report (default: drift-RUN.html here).") var output: String?
    @Option(help: "The PSI at which a column has drifted.") var threshold = 0.2
    @Flag(help: "Print the comparison as JSON.") var json = false

    var options: MonitorWorkflow.Options {
        .init(target: target, data: data, requests: requests, output: output, threshold: threshold, json: json)
    }

    func validate() throws {
        if let problem = options.problem { throw ValidationError(problem) }
    }

    func run() throws { try finish(MonitorWorkflow(options, in: invocation).run()) }
}
