/// What a model's training data looked like, column by column, as a client would send it (raw columns, before
/// any fitted transform): enough to tell later whether new data has drifted from it without keeping the data.
///
/// Recorded at training time as an object of the cache, its key kept in the run's data preview; compared with
/// new data by `FeatureDrift`.
public struct TrainingStatistics: Sendable, Hashable, Codable {
    /// The dataset the statistics describe, as later steps refer to it: `split.train`, `data`.
    public var dataset: String
    public var rows: Int
    /// Features in the dataset's order, then the target.
    public var columns: [ColumnStatistics]

    public init(dataset: String, rows: Int, columns: [ColumnStatistics]) {
        self.dataset = dataset
        self.rows = rows
        self.columns = columns
    }

    /// Bins of a numeric column: its deciles.
    public static let bins = 10
    /// Order statistics kept of a numeric column for the KS test.
    public static let sampleSize = 1_000
    /// Categories kept by name; the rest count together as `other`.
    public static let keptCategories = 100
}

/// One column of `TrainingStatistics`.
public struct ColumnStatistics: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        case feature
        case target
        /// The model's predictions: on its training data in the reference, on the new data in the comparison.
        case prediction
    }

    public var name: String
    public var role: Role
    /// Rows, missing ones included.
    public var rows: Int
    public var missing: Int
    public var numeric: NumericStatistics?
    public var categorical: CategoryStatistics?

    public init(
        name: String, role: Role, rows: Int, missing: Int, numeric: NumericStatistics? = nil,
        categorical: CategoryStatistics? = nil
    ) {
        self.name = name
        self.role = role
        self.rows = rows
        self.missing = missing
        self.numeric = numeric
        self.categorical = categorical
    }

    public var missingRate: Double { rows == 0 ? 0 : Double(missing) / Double(rows) }
}

/// The values present in a numeric column.
public struct NumericStatistics: Sendable, Hashable, Codable {
    /// The cut points between bins, increasing and distinct: the deciles of the values (numpy's default, linear
    /// interpolation), ties merged. Bin `i` holds the values `x` with `edges[i-1] < x <= edges[i]`.
    public var edges: [Double]
    /// Values in each bin: `edges.count + 1` of them.
    public var counts: [Int]
    public var minimum: Double
    public var maximum: Double
    public var mean: Double
    /// The population standard deviation.
    public var standardDeviation: Double
    /// The values sorted, all of them up to `TrainingStatistics.sampleSize`, else that many evenly spaced order
    /// statistics (the value at rank ⌊(i + ½)·n / size⌋).
    public var sample: [Double]

    public init(
        edges: [Double], counts: [Int], minimum: Double, maximum: Double, mean: Double, standardDeviation: Double,
        sample: [Double]
    ) {
        self.edges = edges
        self.counts = counts
        self.minimum = minimum
        self.maximum = maximum
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.sample = sample
    }

    /// Values present.
    public var count: Int { counts.reduce(0, +) }
}

/// The categories of a text column, most frequent first.
public struct CategoryStatistics: Sendable, Hashable, Codable {
    /// At most `TrainingStatistics.keptCategories`, by falling count, then by name.
    public var categories: [String]
    public var counts: [Int]
    /// Values of the categories left out, and how many categories they were.
    public var other: Int
    public var otherCategories: Int

    public init(categories: [String], counts: [Int], other: Int, otherCategories: Int) {
        self.categories = categories
        self.counts = counts
        self.other = other
        self.otherCategories = otherCategories
    }
}
