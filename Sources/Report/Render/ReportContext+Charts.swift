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

    /// What a training step's series are indexed by: `iteration` for L-BFGS (logistic and softmax
    /// regression by default) and boosting, `restart` for k-means (one inertia per restart), `epoch` for
    /// the models trained by passes over the data; `step` for anything else (a command's own series).
    func xLabel(step: String, kind: OperationKind?) -> String {
        guard kind == .train else { return "step" }
        let configuration = configurations[step]?.configuration
        switch configuration?.variant {
        case "logistic", "softmax":
            let solver = configuration.flatMap { Self.topLevelValue("solver", in: $0.text) } ?? "lbfgs"
            return solver == "lbfgs" ? "iteration" : "epoch"
        case "gradient_boosting": return "iteration"
        case "kmeans": return "restart"
        default: return "epoch"
        }
    }
}
