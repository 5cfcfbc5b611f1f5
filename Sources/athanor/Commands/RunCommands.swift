import ArgumentParser
import Workflows

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a notebook: cached steps, a recorded run.")

    @OptionGroup var options: RunWorkflow.Options

    func run() throws { try finish(RunWorkflow(options, in: invocation).run()) }
}

struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run a recorded run, or the run a report embeds, without the cache and prove its results the same."
    )

    @OptionGroup var options: ReproduceWorkflow.Options

    func run() throws { try finish(ReproduceWorkflow(options, in: invocation).run()) }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a run's model, its fitted transforms, raw schema and lineage to one portable file.")

    @Argument(help: "RUN:STEP (RUN alone when the run trained one model).", completion: .runs) var model: String
    @Option(name: .shortAndLong, help: "The file to write (model.athanor).") var output = "model.athanor"

    func run() throws { try finish(ExportWorkflow(reference: model, output: output, in: invocation).run()) }
}

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
