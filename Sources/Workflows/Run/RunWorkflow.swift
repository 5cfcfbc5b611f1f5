import Foundation
import Report

/// `athanor run`: check the notebook and the values given for it, run its steps (cached), record the run,
/// write its report; with `--sweep`, one run per combination and a comparison.
public struct RunWorkflow: Sendable {
    public struct Options: Sendable {
        public var notebook: String
        public var parameters: [String] = []
        public var useCache = true
        public var explain = false
        public var json = false
        public var quiet = false
        public var output: String?
        public var template: String?
        public var sweeps: [String] = []
        public var jobs: Int?
        public var objective: String?
        /// `--maximize` (true) or `--minimize` (false).
        public var maximize: Bool?
        /// `--aggregate`: summarise each metric over the sweep's runs, as a seed sweep does anyway.
        public var aggregate = false
        /// `--dry-run`: say which steps would run and why; run and record nothing.
        public var dryRun = false
        /// `--executor`: where the runs execute.
        public var executor: ExecutorKind = .local
        /// `--partition`: the Slurm partition of the job.
        public var partition: String?
        /// `--slurm-option=…`: options handed to `sbatch` as written.
        public var slurmOptions: [String] = []
        /// `--detach`: submit and return with the job id.
        public var detach = false
        /// `--slurm-run RUN` (hidden): run the queued run RUN, as a Slurm task does.
        public var slurmRun: String?

        public init(notebook: String) {
            self.notebook = notebook
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

    public var options: Options
    public var invocation: Invocation

    public init(_ options: Options, in invocation: Invocation) {
        self.options = options
        self.invocation = invocation
    }

    var console: Console { invocation.console }

    public func run() -> CommandStatus {
        perform(console) {
            if let id = options.slurmRun { return try runQueued(id) }
            let templates = try loadTemplates(options.template, in: invocation)
            let location = invocation.url(options.notebook)
            // The code a run of this project compiled before is not compiled again: `check` always does.
            let checked = CheckedCode(project: Project.containing(notebook: location.path))
            let check = FileCheck(path: options.notebook, at: location, checkedCode: checked)
            console.report(check.diagnostics, source: check.source)
            guard let parsed = check.notebook, !check.hasErrors else { throw WorkflowFailure(.invalid) }
            let resolved: ParameterOverrides.Resolved
            switch ParameterOverrides.resolve(options.parameters, in: parsed) {
            case .success(let values): resolved = values
            case .failure(let problems): throw WorkflowFailure(.invalid, problems.diagnostics)
            }
            let dataDirectory = location.deletingLastPathComponent()
            if options.dryRun { return try dryRun(parsed, fixed: resolved, dataDirectory: dataDirectory) }
            if !options.sweeps.isEmpty {
                return try runSweep(parsed, fixed: resolved, templates: templates, dataDirectory: dataDirectory)
            }
            try OverrideCheck.verify(resolved, of: parsed, dataDirectory: dataDirectory)
            let plan = RunPlan(notebook: parsed, parameters: resolved.values, overridden: resolved.overridden)
            let project = Project.containing(notebook: location.path)
            let store = try openStore(project)
            if options.executor == .slurm {
                return try runOnSlurm(plan, project: project, store: store, templates: templates)
            }
            var record = try execute(
                plan, project: project, store: store, useCache: options.useCache, quiet: options.quiet,
                in: invocation)
            let destination =
                options.output.map(invocation.url) ?? ReportFiles.defaultOutput(forNotebook: location.path)
            let reported = publishReport(
                &record, project: project, store: store, templates: templates, output: destination, console: console)
            if options.json {
                console.printJSON(RunJSON.object(record))
            } else if options.explain {
                for line in RunText.explanation(of: record) { console.print(line) }
            }
            if !options.json {
                // A terminal showed the failure under its step; a pipe, a log file or `--quiet` shows it here:
                // quiet silences progress, never the reason a run failed.
                if options.quiet || !console.isTerminal,
                    let failure = RunText.failure(of: record, in: parsed, path: options.notebook)
                {
                    console.printError(failure)
                }
                if !options.quiet {
                    console.printError(
                        "run \(record.id) \(record.status.rawValue)"
                            + (record.report.map {
                                "; report \(invocation.relativePath(project.root.appendingPathComponent($0)))"
                            } ?? ""))
                }
            }
            return record.status == .succeeded && reported != nil ? .success : .failure
        }
    }
}
