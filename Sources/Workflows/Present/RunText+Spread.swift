import Report

extension RunText {
    /// Each metric over a sweep's runs, one line each:
    /// `  eval.accuracy  0.9213 ± 0.01234  min 0.9  max 0.94  (5 runs)`.
    static func spread(_ spread: [MetricSpread]) -> [String] {
        guard !spread.isEmpty else { return [] }
        let rows = spread.map { metric in
            [
                "  " + metric.name, "\(number(metric.mean)) ± \(number(metric.standardDeviation))",
                "min \(number(metric.minimum))", "max \(number(metric.maximum))",
                "(\(metric.count) run\(metric.count == 1 ? "" : "s"))",
            ]
        }
        return ["across the runs (mean ± std, min, max):"] + table(rows).components(separatedBy: "\n")
    }

    static func json(_ metric: MetricSpread) -> [String: Any] {
        [
            "name": metric.name, "count": metric.count, "mean": metric.mean, "std": metric.standardDeviation,
            "min": metric.minimum, "max": metric.maximum,
        ]
    }
}
