import ArgumentParser
import Workflows

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a run's model, its fitted transforms, raw schema and lineage to one portable file.")

    @Argument(help: "RUN:STEP (RUN alone when the run trained one model).", completion: .runs) var model: String
    @Option(name: .shortAndLong, help: "The file to write (model.athanor).") var output = "model.athanor"

    func run() throws { try finish(ExportWorkflow(reference: model, output: output, in: invocation).run()) }
}
