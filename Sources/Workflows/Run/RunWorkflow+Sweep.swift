import Foundation
import Report

extension RunWorkflow {
    func runSweep(
        _ parsed: Notebook, fixed: ParameterOverrides.Resolved, templates: ReportTemplates, dataDirectory: URL
    ) throws -> CommandStatus {
        let grid = try checkedGrid(parsed, fixed: fixed, dataDirectory: dataDirectory)
        var chosen: SweepObjective?
        if let objective = options.objective {
            switch SweepObjective.parse(objective, direction: options.maximize, in: parsed) {
            case .success(let value): chosen = value
            case .failure(let problem): throw WorkflowFailure(.invalid, [problem])
            }
        }
        let location = invocation.url(options.notebook)
        let project = Project.containing(notebook: location.path)
        let store = try openStore(project)
        let jobs = options.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let runner: SweepRunner
        do {
            runner = try SweepRunner(
                notebook: parsed, fixed: fixed, grid: grid, project: project, store: store,
                command: invocation.command, useCache: options.useCache, jobs: jobs)
        } catch {
            throw WorkflowFailure.invalid(error)
        }
        let count = runner.members.count
        let quiet = options.quiet || options.json
        let console = self.console
        if !quiet {
            console.printError(
                "sweep \(runner.id): \(count) run\(count == 1 ? "" : "s") of \(options.notebook), "
                    + (options.executor == .slurm ? "as a Slurm job array" : "\(min(jobs, count)) at a time"))
        }
        let done = FinishedRuns()
        let executor: Executor =
            options.executor == .slurm
            ? SlurmExecutor(workflow: self, project: project, store: store, templates: templates)
            : LocalExecutor(
                console: console, showWarnings: !options.quiet, progress: quiet ? nil : SweepProgress(console: console))
        let finished: @Sendable (RunRecord) -> RunRecord = { record in
            var record = record
            if record.report == nil || options.executor == .local {
                publishReport(
                    &record, project: project, store: store, templates: templates, output: nil, console: console)
            }
            if !quiet {
                let number = done.next()
                let seconds = record.finished.map { String(format: " %.2fs", $0.timeIntervalSince(record.started)) }
                console.printError(
                    "[\(number)/\(count)] run \(record.id) \(Self.label(of: record, in: grid)): "
                        + "\(record.status.rawValue)\(seconds ?? "")" + (record.job.map { " (\($0.summary))" } ?? ""))
            }
            return record
        }
        guard let outcomes = try executor.execute(runner, finished: finished) else { return .success }
        let runs = outcomes.compactMap(\.run)
        let objective = chosen ?? SweepObjective.chosen(for: runs)
        if let chosen, !runs.contains(where: { chosen.value(in: $0) != nil }), !runs.isEmpty {
            let recorded = Set(
                runs.flatMap { $0.metrics.filter { $0.value != nil }.map(\.name) + $0.series.map(\.name) })
            let suggestion = Suggestion.closest(to: chosen.metric, in: recorded)
            console.printError(
                "athanor: warning: no run recorded '\(chosen.metric)', so no best run is marked"
                    + (suggestion.map { "; did you mean '\($0)'?" } ?? ""))
        }
        let comparison = SweepComparison(
            id: runner.id, notebook: project.relative(location),
            swept: grid.axes.map(\.swept), runs: runs,
            missing: outcomes.compactMap { outcome in
                outcome.run == nil
                    ? SweepComparison.Missing(label: outcome.member.label, error: outcome.error ?? "") : nil
            },
            objective: objective, command: invocation.command, aggregate: options.aggregate)
        let destination =
            options.output.map(invocation.url) ?? SweepReportFiles.defaultOutput(forNotebook: location.path)
        var reportPath: String?
        do {
            let written = try SweepReportFiles(project: project, renderer: SweepReportRenderer(templates: templates))
                .write(comparison, to: destination)
            reportPath = project.relative(written)
        } catch {
            console.report(error: error)
        }
        let spread = comparison.summarisesSpread ? MetricSpread.of(runs) : []
        if options.json {
            var object: [String: Any] = [
                "sweep": runner.id, "report": reportPath ?? NSNull(), "runs": runs.map(RunJSON.object),
            ]
            if comparison.summarisesSpread { object["spread"] = spread.map(RunText.json) }
            console.printJSON(object)
        } else if options.explain {
            for run in runs {
                for line in RunText.explanation(of: run, prefix: "\(run.id) ") { console.print(line) }
            }
        }
        let failed = outcomes.filter { !$0.succeeded }
        if !options.quiet {
            var summary = "sweep \(runner.id): \(count - failed.count) of \(count) runs succeeded"
            if let objective, let best = objective.best(of: runs), let value = objective.value(in: best) {
                summary +=
                    "; best \(best.id) (\(objective.metric) = \(RunText.number(value)), "
                    + "\(objective.maximize ? "maximized" : "minimized"), at \(Self.label(of: best, in: grid)))"
                let tied = objective.tiedBest(of: runs).filter { $0.id != best.id }
                if !tied.isEmpty { summary += ", tied with " + tied.map(\.id).joined(separator: ", ") }
            }
            if let reportPath {
                summary += "; comparison \(invocation.relativePath(project.root.appendingPathComponent(reportPath)))"
            }
            console.printError(summary)
            for line in RunText.spread(spread) { console.printError(line) }
        }
        if !failed.isEmpty {
            console.printError("athanor: error: \(failed.count) of \(count) runs of sweep \(runner.id) failed:")
            for outcome in failed {
                var line = "  "
                if let run = outcome.run {
                    line += "run \(run.id) (\(outcome.member.label))"
                    if let step = run.steps.first(where: { $0.status == .failed }) {
                        line += ": step '\(step.name)' failed: \(step.error ?? "")"
                    } else {
                        line += ": \(run.status.rawValue)"
                    }
                } else {
                    line += "(\(outcome.member.label)): \(outcome.error ?? "not recorded")"
                }
                console.printError(line)
            }
        }
        return failed.isEmpty && reportPath != nil ? .success : .failure
    }

    /// The `--sweep` options read against the notebook, every member's values checked as `check` would.
    func checkedGrid(_ parsed: Notebook, fixed: ParameterOverrides.Resolved, dataDirectory: URL) throws -> SweepGrid {
        let grid: SweepGrid
        switch SweepGrid.parse(options.sweeps, in: parsed, fixed: fixed.overridden) {
        case .success(let value): grid = value
        case .failure(let problems): throw WorkflowFailure(.invalid, problems.diagnostics)
        }
        try OverrideCheck.verify(grid, fixed: fixed, of: parsed, dataDirectory: dataDirectory)
        return grid
    }

    /// `lr=0.001 hidden=32`: the run's values of the swept parameters.
    static func label(of run: RunRecord, in grid: SweepGrid) -> String {
        grid.axes.map { axis in
            "\(axis.name)=\(run.parameters.first { $0.name == axis.name }?.value ?? "-")"
        }.joined(separator: " ")
    }
}

/// Counts the runs of a sweep as they finish, from their threads.
final class FinishedRuns: @unchecked Sendable {
    // @unchecked: `value` is guarded by `lock`.
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
