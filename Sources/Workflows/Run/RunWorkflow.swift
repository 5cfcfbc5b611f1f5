import Foundation
import Report

/// `athanor run`: check the notebook and the values given for it, run its steps (cached), record the run,
/// write its report; with `--sweep`, one run per combination and a comparison.
public struct RunWorkflow: Sendable {
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
