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
