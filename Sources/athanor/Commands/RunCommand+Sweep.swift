import ArgumentParser
import Foundation
import Notebook
import Report
import Runs

extension RunCommand {
    /// `run --sweep`: every combination as a recorded run, `-j` at a time, each with its report in
    /// `.athanor/reports/`, then the comparison of them all.
    func runSweep(_ parsed: Notebook, fixed: ParameterOverrides.Resolved, templates: ReportTemplates) throws {
        let grid: SweepGrid
        switch SweepGrid.parse(sweeps, in: parsed, fixed: fixed.overridden) {
        case .success(let value): grid = value
        case .failure(let problems):
            for problem in problems.diagnostics { printError(problem.description) }
            throw ExitCode(2)
        }
        var chosen: SweepObjective?
        if let objective {
            switch SweepObjective.parse(objective, direction: maximize ? true : minimize ? false : nil, in: parsed) {
            case .success(let value): chosen = value
            case .failure(let problem):
                printError(problem.description)
                throw ExitCode(2)
            }
        }
        let project = Project.containing(notebook: notebook)
        let store = try openStore(project)
        let runner: SweepRunner
        do {
            runner = try SweepRunner(
                notebook: parsed, fixed: fixed, grid: grid, project: project, store: store,
                command: ["athanor"] + CommandLine.arguments.dropFirst(), useCache: !noCache,
                jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        } catch {
            printError("athanor: \(error)")
            throw ExitCode(2)
        }
        let count = runner.members.count
        let quiet = self.quiet || json
        if !quiet {
            printError(
                "sweep \(runner.id): \(count) run\(count == 1 ? "" : "s") of \(notebook), "
                    + "\(min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, count)) at a time")
        }
        let signals = SignalTrap { signal in
            runner.interrupt()
            printError("\nathanor: sweep \(runner.id) interrupted")
            Foundation.exit(128 + signal)
        }
        defer { signals.cancel() }
        let done = FinishedRuns()
        let showWarnings = !self.quiet
        let outcomes = runner.run(
            observer: { member in QuietProgress(showWarnings: showWarnings, label: member.label) },
            finished: { record in
                var record = record
                publishReport(&record, project: project, store: store, templates: templates, output: nil)
                if !quiet {
                    let number = done.next()
                    let seconds = record.finished.map { String(format: " %.2fs", $0.timeIntervalSince(record.started)) }
                    printError(
                        "[\(number)/\(count)] run \(record.id) \(Self.label(of: record, in: grid)): "
                            + "\(record.status.rawValue)\(seconds ?? "")")
                }
                return record
            })
        let runs = outcomes.compactMap(\.run)
        let objective = chosen ?? SweepObjective.chosen(for: runs)
        if let chosen, !runs.contains(where: { chosen.value(in: $0) != nil }), !runs.isEmpty {
            let recorded = Set(
                runs.flatMap { $0.metrics.filter { $0.value != nil }.map(\.name) + $0.series.map(\.name) })
            let suggestion = Suggestion.closest(to: chosen.metric, in: recorded)
            printError(
                "athanor: warning: no run recorded '\(chosen.metric)', so no best run is marked"
                    + (suggestion.map { "; did you mean '\($0)'?" } ?? ""))
        }
        let comparison = SweepComparison(
            id: runner.id, notebook: project.relative(URL(fileURLWithPath: notebook)),
            swept: grid.axes.map(\.swept), runs: runs,
            missing: outcomes.compactMap { outcome in
                outcome.run == nil
                    ? SweepComparison.Missing(label: outcome.member.label, error: outcome.error ?? "") : nil
            },
            objective: objective, command: ["athanor"] + CommandLine.arguments.dropFirst())
        let destination =
            output.map { URL(fileURLWithPath: $0) } ?? SweepReportFiles.defaultOutput(forNotebook: notebook)
        var reportPath: String?
        do {
            let written = try SweepReportFiles(project: project, renderer: SweepReportRenderer(templates: templates))
                .write(comparison, to: destination)
            reportPath = project.relative(written)
        } catch {
            printError("athanor: \(error)")
        }
        if json {
            printJSON(
                ["sweep": runner.id, "report": reportPath ?? NSNull(), "runs": runs.map(RunJSON.object)]
                    as [String: Any])
        } else if explain {
            for run in runs {
                for step in run.steps where step.cache == .miss {
                    print("\(run.id) \(step.name): re-ran because \(step.explanation ?? "it was not cached")")
                }
            }
        }
        let failed = outcomes.filter { !$0.succeeded }
        if !self.quiet {
            var summary = "sweep \(runner.id): \(count - failed.count) of \(count) runs succeeded"
            if let objective, let best = objective.best(of: runs), let value = objective.value(in: best) {
                summary +=
                    "; best \(best.id) (\(objective.metric) = \(RunText.number(value)), "
                    + "\(objective.maximize ? "maximized" : "minimized"), at \(Self.label(of: best, in: grid)))"
            }
            if let reportPath { summary += "; comparison \(reportPath)" }
            printError(summary)
        }
        if !failed.isEmpty {
            printError("athanor: \(failed.count) of \(count) runs of sweep \(runner.id) failed:")
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
                printError(line)
            }
        }
        if !failed.isEmpty || reportPath == nil { throw ExitCode(1) }
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
