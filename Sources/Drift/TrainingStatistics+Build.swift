extension NumericStatistics {
    /// The statistics of `values`, NaN marking a missing value; nil when none is present.
    public init?(values: [Double]) {
        var present = values.filter { !$0.isNaN }
        guard !present.isEmpty else { return nil }
        present.sort()
        self.init(sorted: present)
    }

    /// The statistics of values present, already sorted.
    init(sorted: [Double]) {
        let count = sorted.count
        var edges: [Double] = []
        for step in 1..<TrainingStatistics.bins {
            let cut = Quantile.linear(sorted, Double(step) / Double(TrainingStatistics.bins))
            if edges.last.map({ $0 < cut }) ?? true { edges.append(cut) }
        }
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for value in sorted { counts[Bins.index(of: value, edges: edges)] += 1 }
        let spread = Self.moments(sorted)
        let size = TrainingStatistics.sampleSize
        let sample =
            count <= size ? sorted : (0..<size).map { sorted[min(count - 1, (2 * $0 + 1) * count / (2 * size))] }
        self.init(
            edges: edges, counts: counts, minimum: sorted[0], maximum: sorted[count - 1], mean: spread.mean,
            standardDeviation: spread.deviation, sample: sample)
    }

    /// Mean and population standard deviation, in units of a power of two near the largest magnitude, so that a
    /// column of 1e308 does not overflow its sum.
    static func moments(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let largest = values.reduce(0) { max($0, abs($1)) }
        let unit = largest.isFinite && largest > 0 ? Double(sign: .plus, exponent: largest.exponent, significand: 1) : 1
        let mean = values.reduce(0) { $0 + $1 / unit } / Double(values.count)
        let squares = values.reduce(0) { sum, value in
            let deviation = value / unit - mean
            return sum + deviation * deviation
        }
        return (mean * unit, (squares / Double(values.count)).squareRoot() * unit)
    }
}

extension ColumnStatistics {
    /// The statistics of one column's values: deciles and order statistics of numbers, counts of categories.
    public init(name: String, role: Role, values: ColumnValues) {
        switch values {
        case .numbers(let numbers):
            let numeric = NumericStatistics(values: numbers)
            self.init(
                name: name, role: role, rows: numbers.count, missing: numbers.count - (numeric?.count ?? 0),
                // A column with no value present: one empty bin, and nothing to test against.
                numeric: numeric
                    ?? NumericStatistics(
                        edges: [], counts: [0], minimum: 0, maximum: 0, mean: 0, standardDeviation: 0, sample: []))
        case .categories(let levels, let codes):
            var perLevel = [Int](repeating: 0, count: levels.count)
            var missing = 0
            for code in codes {
                if let index = ColumnValues.index(code, levels.count) { perLevel[index] += 1 } else { missing += 1 }
            }
            var counts: [String: Int] = [:]
            for (level, count) in zip(levels, perLevel) { counts[level, default: 0] += count }
            self.init(
                name: name, role: role, rows: codes.count, missing: missing,
                categorical: CategoryStatistics(counts: counts))
        }
    }
}

extension CategoryStatistics {
    /// The statistics of categories counted: `counts[name]` rows hold `name`.
    public init(counts: [String: Int]) {
        let ranked = counts.filter { $0.value > 0 }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        let kept = ranked.prefix(TrainingStatistics.keptCategories)
        let rest = ranked.dropFirst(TrainingStatistics.keptCategories)
        self.init(
            categories: kept.map(\.key), counts: kept.map(\.value), other: rest.reduce(0) { $0 + $1.value },
            otherCategories: rest.count)
    }
}

/// Quantiles of sorted values.
public enum Quantile {
    /// numpy's default quantile (`method="linear"`): between the values at ranks ⌊h⌋ and ⌈h⌉, h = (n − 1)·q.
    public static func linear(_ sorted: [Double], _ q: Double) -> Double {
        let position = Double(sorted.count - 1) * q
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        let fraction = position - Double(low)
        return sorted[low] + (sorted[high] - sorted[low]) * fraction
    }
}

/// The bin of a value among increasing cut points.
public enum Bins {
    /// How many edges lie below `value` (numpy's `searchsorted(edges, value, side="left")`).
    public static func index(of value: Double, edges: [Double]) -> Int {
        var low = 0
        var high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if edges[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
