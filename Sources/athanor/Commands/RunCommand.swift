import ArgumentParser
import Workflows

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a notebook: cached steps, a recorded run.")

    @Argument(help: "The notebook to run.", completion: .notebooks) var notebook: String
    @Option(
        name: .customShort("p"),
        help: ArgumentHelp("Override a parameter (repeatable, once per name).", valueName: "name=value"))
    var parameters: [String] = []
    @Flag(help: "Recompute every step, ignoring the cache.") var noCache = false
    @Flag(help: "Say why each step was recomputed.") var explain = false
    @Flag(help: "Say which steps would run and why, and run and record nothing.") var dryRun = false
    @Flag(help: "Print the run as JSON on standard output.") var json = false
    @Flag(name: .shortAndLong, help: "No progress on standard error.") var quiet = false
    @Option(name: .shortAndLong, help: "Write the report here (default: the notebook's name with .html).")
    var output: String?
    @Option(help: "A directory of templates (report.mustache, step.mustache, report.css…) to render with.")
    var template: String?
    @Option(
        name: .customLong("sweep"),
        help: ArgumentHelp(
            "Sweep a parameter: name=v1,v2,… or a range name=A..B:logN or name=A..B:linN (repeatable); "
                + "one run per combination, and a comparison report.", valueName: "name=values"))
    var sweeps: [String] = []
    @Option(name: .customShort("j"), help: "Runs of a sweep at a time (default: the number of cores).")
    var jobs: Int?
    @Option(
        help: ArgumentHelp(
            "The metric a sweep's best run is chosen by: STEP.METRIC, or STEP.METRIC:max / :min "
                + "(default: the first metric recorded).", valueName: "metric"))
    var objective: String?
    @Flag(help: "Higher values of the objective are better.") var maximize = false
    @Flag(help: "Lower values of the objective are better.") var minimize = false
    @Flag(help: "Show each metric's mean ± std, min and max over a sweep's runs (a seed sweep always does).")
    var aggregate = false
    @Option(help: ArgumentHelp("Where the runs execute: local (default) or slurm.", valueName: "engine"))
    var executor: ExecutorKind = .local
    @Option(help: "With --executor slurm: the Slurm partition to submit to.") var partition: String?
    @Option(
        name: .customLong("slurm-option"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "With --executor slurm: an option for sbatch, as written (--slurm-option=--account=X; repeatable).",
            valueName: "option"))
    var slurmOptions: [String] = []
    @Flag(help: "With --executor slurm: submit, print the job id and return without waiting.") var detach = false
    @Option(help: .hidden) var slurmRun: String?

    var options: RunWorkflow.Options {
        var options = RunWorkflow.Options(notebook: notebook)
        options.parameters = parameters
        options.useCache = !noCache
        (options.explain, options.json, options.quiet) = (explain, json, quiet)
        (options.output, options.template) = (output, template)
        (options.sweeps, options.jobs, options.objective) = (sweeps, jobs, objective)
        options.maximize = maximize ? true : minimize ? false : nil
        (options.aggregate, options.dryRun) = (aggregate, dryRun)
        (options.executor, options.partition, options.slurmOptions) = (executor, partition, slurmOptions)
        (options.detach, options.slurmRun) = (detach, slurmRun)
        return options
    }

    func validate() throws {
        if let problem = options.problem(maximizeAndMinimize: maximize && minimize) {
            throw ValidationError(problem)
        }
    }

    func run() throws { try finish(RunWorkflow(options, in: invocation).run()) }
}

extension ExecutorKind: ExpressibleByArgument {}

struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run a recorded run, or the run a report embeds, without the cache and prove its results the same."
    )

    @Argument(
        help: ArgumentHelp("A run id or unique prefix, or a report (REPORT.html).", valueName: "run"),
        completion: .runsOrReports)
    var target: String
    @Option(help: "Accept metrics within this relative difference (default: bit-equal).") var tolerance: Double?
    @Option(help: "For a report: the folder its data files are in (default: the current directory).")
    var data: String?
    @Flag(help: "For a report: run its command steps ('run:'), which are otherwise refused.")
    var allowCommands = false
    @Flag(name: .shortAndLong, help: "No progress on standard error.") var quiet = false

    var options: ReproduceWorkflow.Options {
        var options = ReproduceWorkflow.Options(target: target)
        (options.tolerance, options.data) = (tolerance, data)
        (options.allowCommands, options.quiet) = (allowCommands, quiet)
        return options
    }

    func validate() throws {
        if let problem = options.problem { throw ValidationError(problem) }
    }

    func run() throws { try finish(ReproduceWorkflow(options, in: invocation).run()) }
}
