import Foundation

/// How far one column of new data has moved from the training data.
public struct FeatureDrift: Sendable, Hashable, Codable {
    public enum Test: String, Sendable, Hashable, Codable {
        /// Two-sample Kolmogorov–Smirnov, for numbers.
        case ks
        /// Pearson's χ² of homogeneity, for categories.
        case chi2
    }

    /// One bin of the two distributions, as the report draws them.
    public struct Bin: Sendable, Hashable, Codable {
        public var label: String
        public var training: Int
        public var new: Int

        public init(label: String, training: Int, new: Int) {
            self.label = label
            self.training = training
            self.new = new
        }
    }

    public var name: String
    public var role: ColumnStatistics.Role
    public var numeric: Bool
    public var psi: Double
    public var test: Test
    /// Nil when the test cannot be made (no value present on one side, one category only).
    public var statistic: Double?
    public var pValue: Double?
    public var trainingMissingRate: Double
    public var newMissingRate: Double
    public var rows: Int
    /// Values of a numeric column that are not numbers (counted as missing).
    public var unreadable: Int
    /// Rows whose category the training data did not have.
    public var newCategories: Int
    public var bins: [Bin]
    public var drifted: Bool

    /// The comparison of `values` with the training column `training`; drifted when its PSI reaches `threshold`.
    public init(_ training: ColumnStatistics, _ values: ColumnValues, threshold: Double) {
        name = training.name
        role = training.role
        rows = values.count
        trainingMissingRate = training.missingRate
        if let numeric = training.numeric {
            self.numeric = true
            test = .ks
            let (numbers, unreadable) = values.numbers()
            self.unreadable = unreadable
            newCategories = 0
            var counts = [Int](repeating: 0, count: numeric.counts.count)
            var missing = 0
            for value in numbers {
                if value.isNaN { missing += 1 } else { counts[Bins.index(of: value, edges: numeric.edges)] += 1 }
            }
            bins = zip(Self.labels(numeric.edges), zip(numeric.counts, counts)).map {
                Bin(label: $0, training: $1.0, new: $1.1)
            }
            bins.append(Bin(label: "missing", training: training.missing, new: missing))
            newMissingRate = rows == 0 ? 0 : Double(missing) / Double(rows)
            let ks = KolmogorovSmirnov.test(sample: numeric.sample, against: numbers)
            statistic = ks?.statistic
            pValue = ks?.pValue
        } else {
            self.numeric = false
            test = .chi2
            unreadable = 0
            let categories = training.categorical ?? CategoryStatistics(counts: [:])
            var (counts, missing) = values.categoryCounts()
            bins = zip(categories.categories, categories.counts).map { name, count in
                Bin(label: name, training: count, new: counts.removeValue(forKey: name) ?? 0)
            }
            let rest = counts.values.reduce(0, +)
            // Past the kept categories, a value may be one of training's others: only without others is it new.
            if categories.otherCategories > 0 {
                bins.append(Bin(label: "other", training: categories.other, new: rest))
                newCategories = 0
            } else {
                bins.append(Bin(label: "new categories", training: 0, new: rest))
                newCategories = rest
            }
            bins.append(Bin(label: "missing", training: training.missing, new: missing))
            newMissingRate = rows == 0 ? 0 : Double(missing) / Double(rows)
            let chi2 = ChiSquare.test(expected: bins.map(\.training), actual: bins.map(\.new))
            statistic = chi2?.statistic
            pValue = chi2?.pValue
        }
        psi = PopulationStability.index(expected: bins.map(\.training), actual: bins.map(\.new))
        drifted = psi >= threshold
    }

    /// `≤ 1.5`, `(1.5, 2]`, …, `> 9`, to 4 significant digits.
    static func labels(_ edges: [Double]) -> [String] {
        guard let first = edges.first, let last = edges.last else { return ["all"] }
        let text = { (value: Double) in String(format: "%.4g", value) }
        var labels = ["≤ \(text(first))"]
        for (low, high) in zip(edges, edges.dropFirst()) { labels.append("(\(text(low)), \(text(high))]") }
        labels.append("> \(text(last))")
        return labels
    }
}

extension FeatureDrift {
    /// Each column of new data against its training statistics, the columns shared between threads.
    public static func compare(_ pairs: [(ColumnStatistics, ColumnValues)], threshold: Double) -> [FeatureDrift] {
        var results = [FeatureDrift?](repeating: nil, count: pairs.count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each index is written by one thread only, and read after they all end.
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: pairs.count) { index in
                output[index] = FeatureDrift(pairs[index].0, pairs[index].1, threshold: threshold)
            }
        }
        return results.compactMap { $0 }
    }
}
