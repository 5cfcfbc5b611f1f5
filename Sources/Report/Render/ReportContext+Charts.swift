import Foundation
import Runs

/// A training step's curves: one chart per quantity, training and validation curves together.
extension ReportContext {
    /// One chart per quantity (`loss` with `val_loss`), its legend under it.
    func charts(step: String, kind: OperationKind?) -> [[String: Any]] {
        let prefix = "\(step)."
        var groups: [(key: String, series: [SeriesRecord])] = []
        for series in run.series where series.name.hasPrefix(prefix) {
            let name = String(series.name.dropFirst(prefix.count))
            let key = name.hasPrefix("val_") ? String(name.dropFirst(4)) : name
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].series.append(series)
            } else {
                groups.append((key, [series]))
            }
        }
        let xLabel = self.xLabel(step: step, kind: kind)
        return groups.map { group in
            let lines = group.series.map { series in
                LineChart.Line(
                    name: series.name, points: series.points,
                    dashed: series.name.dropFirst(prefix.count).hasPrefix("val_"))
            }
            let chart = LineChart(
                title: "\(step): \(group.key)", xLabel: xLabel, yLabel: group.key, lines: lines, showsLegend: false)
            let counts = group.series.map { "\($0.name), \($0.points.count) points" }.joined(separator: "; ")
            return ["svg": chart.svg() + chart.legendHTML(), "caption": counts]
        }
    }

    /// What a training step's series are indexed by, by `xLabel(kind:configuration:)`'s rule.
    func xLabel(step: String, kind: OperationKind?) -> String {
        Self.xLabel(train: kind == .train, configuration: configurations[step]?.configuration)
    }

    /// What a training step's series are indexed by: `iteration` for L-BFGS (logistic and softmax
    /// regression by default) and boosting, `restart` for k-means (one inertia per restart), `epoch` for
    /// the models trained by passes over the data; `step` for anything else (a command's own series).
    static func xLabel(train: Bool, configuration: StepConfiguration?) -> String {
        guard train else { return "step" }
        switch configuration?.variant {
        case "logistic", "softmax":
            let solver = configuration.flatMap { topLevelValue("solver", in: $0.text) } ?? "lbfgs"
            return solver == "lbfgs" ? "iteration" : "epoch"
        case "gradient_boosting": return "iteration"
        case "kmeans": return "restart"
        default: return "epoch"
        }
    }

    /// What the series `name` (`STEP.QUANTITY`) of these runs is indexed by, from the first run that
    /// recorded how its step ran: the label of a sweep's or a comparison's overlaid curves. Runs recorded
    /// before Athanor kept step configurations say `epoch`, as their pages always did.
    static func xLabel(series name: String, runs: [RunRecord]) -> String {
        let step = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        for run in runs {
            guard let record = run.steps.first(where: { $0.name == step }) else { continue }
            if record.op != "train" { return "step" }
            if let configuration = record.configuration { return xLabel(train: true, configuration: configuration) }
        }
        return "epoch"
    }

    /// The features a bar chart of importances shows at most: the rest are too small to read.
    static let importancesShown = 15

    /// Charts of what a step recorded as JSON: ROC and precision–recall curves
    /// (`{"positive", "x", "y"}`) and feature importances (`{"features", "importances"}`, largest first).
    static func charts(of metrics: [MetricRecord]) -> [[String: Any]] {
        metrics.compactMap { metric -> [String: Any]? in
            guard metric.value == nil, let json = metric.json,
                let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            else { return nil }
            if let x = numbers(object["x"]), let y = numbers(object["y"]), x.count == y.count {
                let positive = object["positive"].map { "\($0)" } ?? ""
                let roc = metric.name.hasSuffix(".roc_curve")
                let chart = CurveChart(
                    title: "\(metric.name): class '\(positive)'",
                    xLabel: roc ? "false positive rate" : "recall", yLabel: roc ? "true positive rate" : "precision",
                    x: x, y: y, diagonal: roc)
                let caption =
                    "\(metric.name) of class '\(positive)' against the rest, \(x.count) points"
                    + (roc ? "; the dashed diagonal is a random ranking" : "")
                return ["svg": chart.svg(), "caption": caption]
            }
            if let names = object["features"] as? [Any], let values = numbers(object["importances"]),
                names.count == values.count
            {
                let bars = zip(names, values).map { BarChart.Bar(name: "\($0)", value: $1) }
                    .sorted { $0.value > $1.value }
                let shown = Array(bars.prefix(importancesShown))
                let chart = BarChart(title: "\(metric.name): the top features", bars: shown)
                let caption =
                    bars.count > shown.count
                    ? "\(metric.name): the \(shown.count) largest of \(bars.count) features"
                    : "\(metric.name) of \(bars.count) \(bars.count == 1 ? "feature" : "features")"
                return ["svg": chart.svg(), "caption": caption]
            }
            return nil
        }
    }

    private static func numbers(_ value: Any?) -> [Double]? {
        guard let items = value as? [Any] else { return nil }
        let numbers = items.compactMap { ($0 as? NSNumber)?.doubleValue }
        return numbers.count == items.count ? numbers : nil
    }
}
