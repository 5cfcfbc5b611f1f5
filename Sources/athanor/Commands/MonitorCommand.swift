import ArgumentParser
import Workflows

/// `athanor monitor RUN[:STEP] --data NEW.csv | --requests FILE`: new data against a model's training data.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Compare new data with the data a run's model learnt from (PSI, KS, χ²); exit 1 on drift.",
        discussion: "Writes an HTML report and prints the drifted columns. Exit 0: every PSI below the threshold; "
            + "1: drift; 2: bad input.")

    @OptionGroup var options: MonitorWorkflow.Options

    func run() throws { try finish(MonitorWorkflow(options, in: invocation).run()) }
}
