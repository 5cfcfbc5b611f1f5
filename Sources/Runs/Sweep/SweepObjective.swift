import Engine
import Foundation
import Notebook

/// The metric a sweep's best run is chosen by, and which way is better.
public struct SweepObjective: Sendable, Hashable {
    /// `STEP.METRIC`: a final value, or a series whose last point counts (`mlp.val_accuracy`).
    public var metric: String
    public var maximize: Bool
    /// Why this metric and this direction, in words for the report.
    public var reason: String

    public init(metric: String, maximize: Bool, reason: String) {
        self.metric = metric
        self.maximize = maximize
        self.reason = reason
    }

    /// Words in a metric's name that say higher is better, and those that say lower is.
    static let higherIsBetter = ["accuracy", "f1", "r2", "precision", "recall", "auc", "silhouette", "score"]
    static let lowerIsBetter = ["loss", "mse", "rmse", "mae", "error", "inertia"]

    /// Whether higher values of `metric` are better, judged by its name (`eval.log_loss` is minimized,
    /// `eval.accuracy` maximized); nil for a name that does not say.
    public static func maximizes(_ metric: String) -> Bool? {
        let name = (metric.split(separator: ".").last.map(String.init) ?? metric).lowercased()
        if lowerIsBetter.contains(where: { name.contains($0) }) { return false }
        if higherIsBetter.contains(where: { name.contains($0) }) { return true }
        return nil
    }

    /// The objective asked for on the command line: `eval.accuracy`, `eval.accuracy:max` or `eval.rmse:min`,
    /// with `--maximize`/`--minimize` (`direction`) as another way to say it. The step must be one of the
    /// notebook's.
    public static func parse(_ text: String, direction: Bool?, in notebook: Notebook) -> Result<
        SweepObjective, Diagnostic
    > {
        var metric = text
        var maximize = direction
        for (suffix, flag) in [(":max", true), (":min", false)] where text.hasSuffix(suffix) {
            metric = String(text.dropLast(suffix.count))
            if let direction, direction != flag {
                return .failure(
                    .error(
                        "'--objective \(text)' and --\(direction ? "maximize" : "minimize") disagree",
                        file: "athanor", at: nil))
            }
            maximize = flag
        }
        if let colon = metric.lastIndex(of: ":") {
            return .failure(
                .error(
                    "'--objective \(text)': the direction after ':' must be max or min, not '\(metric[metric.index(after: colon)...])'",
                    file: "athanor", at: nil))
        }
        let steps = notebook.steps.map(\.name)
        let parts = metric.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else {
            return .failure(
                .error(
                    "'--objective \(text)': expected STEP.METRIC, such as \(steps.last.map { "\($0).accuracy" } ?? "eval.accuracy")",
                    file: "athanor", at: nil))
        }
        guard steps.contains(parts[0]) else {
            return .failure(
                .error(
                    "'--objective \(text)': the notebook has no step '\(parts[0])'", file: notebook.path, at: nil,
                    suggestion: Suggestion.closest(to: parts[0], in: steps).map { "\($0).\(parts[1])" }))
        }
        // Steps of the engine say what they record; a command may record any name, checked after the sweep.
        if case let known?? = NotebookChecker.recordedMetrics(of: notebook)[parts[0]] {
            if !known.contains(parts[1]) {
                let listed = known.isEmpty ? "records no metrics" : "records \(known.joined(separator: ", "))"
                return .failure(
                    .error(
                        "'--objective \(text)': step '\(parts[0])' does not record '\(parts[1])'; it \(listed)",
                        file: notebook.path, at: nil,
                        suggestion: Suggestion.closest(to: parts[1], in: known).map { "\(parts[0]).\($0)" }))
            }
            if let named = Metric(rawValue: parts[1]), !named.isScalar {
                return .failure(
                    .error(
                        "'--objective \(text)': '\(parts[1])' is a \(named.shape), not a number a run can be chosen by",
                        file: notebook.path, at: nil))
            }
        }
        return .success(chosenOnTheCommandLine(metric, maximize: maximize))
    }

    /// `metric` as `--objective` names it, in the direction given (`:max`, `--maximize`) or its name suggests.
    static func chosenOnTheCommandLine(_ metric: String, maximize: Bool?) -> SweepObjective {
        if let maximize {
            return SweepObjective(
                metric: metric, maximize: maximize,
                reason: "chosen on the command line, \(maximize ? "maximized" : "minimized")")
        }
        let inferred = maximizes(metric)
        return SweepObjective(
            metric: metric, maximize: inferred ?? true,
            reason: "chosen on the command line; " + directionReason(metric, inferred))
    }

    /// The objective a sweep was run with, read back from the command line its runs recorded
    /// (`--objective eval.log_loss:min`, `--maximize`), so that `render SWEEP` marks the best run the sweep
    /// marked; nil when the sweep chose by default.
    public static func recorded(inCommand command: [String]) -> SweepObjective? {
        var text: String?
        var direction: Bool?
        for (index, word) in command.enumerated() {
            if word == "--objective", index + 1 < command.count { text = command[index + 1] }
            if word.hasPrefix("--objective=") { text = String(word.dropFirst("--objective=".count)) }
            if word == "--maximize" { direction = true }
            if word == "--minimize" { direction = false }
        }
        guard var metric = text, !metric.isEmpty else { return nil }
        for (suffix, flag) in [(":max", true), (":min", false)] where metric.hasSuffix(suffix) {
            metric = String(metric.dropLast(suffix.count))
            direction = flag
        }
        return chosenOnTheCommandLine(metric, maximize: direction)
    }

    /// The default: the first metric the runs recorded (a final value, before any series) whose value differs
    /// between them, else the first recorded at all, in the direction its name suggests. A metric that all runs
    /// share (a baseline that reads no swept parameter) cannot tell them apart.
    public static func chosen(for runs: [RunRecord]) -> SweepObjective? {
        var names: [String] = []
        for run in runs.sorted(by: { ($0.status == .succeeded ? 0 : 1) < ($1.status == .succeeded ? 0 : 1) }) {
            for name in run.metrics.filter({ $0.value != nil }).map(\.name) + run.series.map(\.name)
            where !names.contains(name) {
                names.append(name)
            }
        }
        func differs(_ name: String) -> Bool {
            let probe = SweepObjective(metric: name, maximize: true, reason: "")
            return Set(runs.compactMap { probe.value(in: $0) }).count > 1
        }
        let varying = names.first(where: differs)
        guard let metric = varying ?? names.first else { return nil }
        let inferred = maximizes(metric)
        let which =
            varying != nil && varying != names.first
            ? "the first metric recorded that differs between the runs" : "the first metric recorded"
        return SweepObjective(
            metric: metric, maximize: inferred ?? true, reason: which + "; " + directionReason(metric, inferred))
    }

    private static func directionReason(_ metric: String, _ inferred: Bool?) -> String {
        switch inferred {
        case true?: "maximized, as higher is better for a name like '\(metric)'"
        case false?: "minimized, as lower is better for a name like '\(metric)'"
        case nil: "maximized, as its name does not say which way is better (--minimize says otherwise)"
        }
    }

    /// The objective's value in `run`: its final value, or the last point of the series of that name.
    public func value(in run: RunRecord) -> Double? {
        if let metric = run.metrics.first(where: { $0.name == metric }) { return metric.value }
        return run.series.first { $0.name == metric }?.points.last?.value
    }

    /// The succeeded run with the best finite value; the first in order among equals.
    public func best(of runs: [RunRecord]) -> RunRecord? {
        var best: (run: RunRecord, value: Double)?
        for run in runs where run.status == .succeeded {
            guard let value = value(in: run), value.isFinite else { continue }
            if let current = best, maximize ? value <= current.value : value >= current.value { continue }
            best = (run, value)
        }
        return best?.run
    }

    /// Every succeeded run whose value equals the best one, in the order given: more than one is a tie that
    /// the grid's order would otherwise break without saying so.
    public func tiedBest(of runs: [RunRecord]) -> [RunRecord] {
        guard let best = best(of: runs), let value = value(in: best) else { return [] }
        return runs.filter { $0.status == .succeeded && self.value(in: $0) == value }
    }
}
