import ArgumentParser

extension RunWorkflow {
    /// What `athanor run` is given: declared once, for the command line (an option group of
    /// swift-argument-parser) and for callers that build it in code from `init(notebook:)`.
    public struct Options: ParsableArguments, Sendable {
        @Argument(help: "The notebook to run.", completion: .notebooks) public var notebook: String
        @Option(
            name: .customShort("p"),
            help: ArgumentHelp("Override a parameter (repeatable, once per name).", valueName: "name=value"))
        public var parameters: [String] = []
        @Flag(name: .customLong("no-cache"), help: "Recompute every step, ignoring the cache.")
        var noCache = false
        @Flag(help: "Say why each step was recomputed.") public var explain = false
        /// `--dry-run`: say which steps would run and why; run and record nothing.
        @Flag(help: "Say which steps would run and why, and run and record nothing.") public var dryRun = false
        @Flag(help: "Print the run as JSON on standard output.") public var json = false
        @Flag(name: .shortAndLong, help: "No progress on standard error.") public var quiet = false
        @Option(name: .shortAndLong, help: "Write the report here (default: the notebook's name with .html).")
        public var output: String?
        @Option(help: "A directory of templates (report.mustache, step.mustache, report.css…) to render with.")
        public var template: String?
        @Option(
            name: .customLong("sweep"),
            help: ArgumentHelp(
                "Sweep a parameter: name=v1,v2,… or a range name=A..B:logN or name=A..B:linN (repeatable); "
                    + "one run per combination, and a comparison report.", valueName: "name=values"))
        public var sweeps: [String] = []
        @Option(name: .customShort("j"), help: "Runs of a sweep at a time (default: the number of cores).")
        public var jobs: Int?
        @Option(
            help: ArgumentHelp(
                "The metric a sweep's best run is chosen by: STEP.METRIC, or STEP.METRIC:max / :min "
                    + "(default: the first metric recorded).", valueName: "metric"))
        public var objective: String?
        @Flag(name: .customLong("maximize"), help: "Higher values of the objective are better.")
        var maximizes = false
        @Flag(name: .customLong("minimize"), help: "Lower values of the objective are better.")
        var minimizes = false
        /// `--aggregate`: summarise each metric over the sweep's runs, as a seed sweep does anyway.
        @Flag(help: "Show each metric's mean ± std, min and max over a sweep's runs (a seed sweep always does).")
        public var aggregate = false
        /// `--executor`: where the runs execute.
        @Option(help: ArgumentHelp("Where the runs execute: local (default) or slurm.", valueName: "engine"))
        public var executor: ExecutorKind = .local
        /// `--partition`: the Slurm partition of the job.
        @Option(help: "With --executor slurm: the Slurm partition to submit to.") public var partition: String?
        /// `--slurm-option=…`: options handed to `sbatch` as written.
        @Option(
            name: .customLong("slurm-option"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp(
                "With --executor slurm: an option for sbatch, as written (--slurm-option=--account=X; repeatable).",
                valueName: "option"))
        public var slurmOptions: [String] = []
        /// `--detach`: submit and return with the job id.
        @Flag(help: "With --executor slurm: submit, print the job id and return without waiting.")
        public var detach = false
        /// `--slurm-run RUN` (hidden): run the queued run RUN, as a Slurm task does.
        @Option(help: .hidden) public var slurmRun: String?

        public init() {}

        /// The options of `athanor run NOTEBOOK` and nothing else. Every property is set here: the parser's
        /// property wrappers hold their defaults only for parsing, and a value never set cannot be read.
        public init(notebook: String) {
            self.notebook = notebook
            (parameters, noCache, explain, dryRun, json, quiet) = ([], false, false, false, false, false)
            (output, template, sweeps, jobs, objective) = (nil, nil, [], nil, nil)
            (maximizes, minimizes, aggregate, executor) = (false, false, false, .local)
            (partition, slurmOptions, detach, slurmRun) = (nil, [], false, nil)
        }

        /// Whether steps may come from the cache (no `--no-cache`).
        public var useCache: Bool {
            get { !noCache }
            set { noCache = !newValue }
        }

        /// `--maximize` (true) or `--minimize` (false).
        public var maximize: Bool? {
            get { maximizes ? true : minimizes ? false : nil }
            set { (maximizes, minimizes) = (newValue == true, newValue == false) }
        }

        public func validate() throws {
            if let problem = problem(maximizeAndMinimize: maximizes && minimizes) { throw ValidationError(problem) }
        }

        /// What is wrong with the options as a whole, for the argument parser to print with the usage.
        public func problem(maximizeAndMinimize: Bool = false) -> String? {
            if sweeps.isEmpty {
                if jobs != nil { return "-j sets how many runs of a sweep run at a time: add --sweep" }
                if aggregate { return "--aggregate summarises a sweep's runs: add --sweep" }
                if objective != nil || maximize != nil || maximizeAndMinimize {
                    return "--objective, --maximize and --minimize choose a sweep's best run: add --sweep"
                }
            }
            if let jobs, jobs < 1 { return "-j needs a number of runs at a time of at least 1" }
            if executor != .slurm {
                if partition != nil || !slurmOptions.isEmpty || detach {
                    return "--partition, --slurm-option and --detach hand runs to Slurm: add --executor slurm"
                }
            } else {
                if jobs != nil { return "-j sets how many runs run at a time here; Slurm decides that for a job" }
                if dryRun { return "--dry-run runs nothing: drop --executor slurm" }
            }
            if let slurmRun, !RunRecord.isRunID(slurmRun) { return "--slurm-run needs a run id" }
            if maximizeAndMinimize { return "choose one of --maximize and --minimize" }
            return nil
        }
    }
}

extension ExecutorKind: ExpressibleByArgument {}
