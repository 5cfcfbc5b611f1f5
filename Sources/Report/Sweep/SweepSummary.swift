import Foundation
import Runs

/// Every final metric of a sweep's runs summarised across them: what a seed sweep is run for, since its runs
/// differ only by chance and no one of them is the answer.
public struct MetricSpread: Sendable, Equatable {
    public var name: String
    /// The runs that recorded the metric as a finite number.
    public var count: Int
    public var mean: Double
    /// The sample standard deviation (n − 1 in the denominator, as pandas' `std`); 0 for one run.
    public var standardDeviation: Double
    public var minimum: Double
    public var maximum: Double

    /// The spread of each scalar metric that a succeeded run recorded, in the order they first appear.
    public static func of(_ runs: [RunRecord]) -> [MetricSpread] {
        var names: [String] = []
        var values: [String: [Double]] = [:]
        for run in runs where run.status == .succeeded {
            for metric in run.metrics {
                guard let value = metric.value, value.isFinite else { continue }
                if values[metric.name] == nil { names.append(metric.name) }
                values[metric.name, default: []].append(value)
            }
        }
        return names.compactMap { name in values[name].flatMap { MetricSpread(name: name, values: $0) } }
    }

    init?(name: String, values: [Double]) {
        guard let minimum = values.min(), let maximum = values.max() else { return nil }
        var sum = 0.0
        for value in values { sum += value }
        // The mean of equal values is that value exactly, not one rounding away from it (nor their spread
        // a rounding error above 0).
        let mean = minimum == maximum ? minimum : sum / Double(values.count)
        var squares = 0.0
        for value in values { squares += (value - mean) * (value - mean) }
        self.name = name
        self.count = values.count
        self.mean = mean
        self.standardDeviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
        self.minimum = minimum
        self.maximum = maximum
    }
}

extension SweptParameter {
    /// Whether the parameter only seeds randomness (`seed`, `split_seed`, `seed_init`): varying it alone
    /// measures chance, not a choice.
    public var isSeed: Bool {
        let name = name.lowercased()
        return name == "seed" || name.hasSuffix("_seed") || name.hasPrefix("seed_") || name == "seeds"
    }
}

extension SweepComparison {
    /// Whether the comparison shows each metric's spread: asked for, or the sweep varies only seeds.
    public var summarisesSpread: Bool {
        aggregate || (!swept.isEmpty && swept.allSatisfy(\.isSeed))
    }
}
