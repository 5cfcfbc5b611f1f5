import Engine
import Foundation

/// A look at a dataset a step produced: its first rows as text and a summary of each column, kept with the
/// run so that a report can show the data without reading it again.
public struct DataPreview: Sendable, Hashable, Codable {
    /// The output's name as later steps refer to it: `data`, `split.train`.
    public var name: String
    public var rows: Int
    /// How many columns the dataset has, target included; `columns` keeps at most `keptColumns` of them.
    public var columnCount: Int
    /// Features first, then the target.
    public var columns: [ColumnSummary]
    /// The first rows, one cell per column, as text; a missing value is empty.
    public var head: [[String]]
    /// The cache object holding the dataset's `TrainingStatistics` (JSON), for a dataset a model learnt from
    /// (`TrainingData`); nil for other datasets and in previews recorded before Athanor kept them.
    public var statistics: String?

    public init(name: String, rows: Int, columnCount: Int? = nil, columns: [ColumnSummary], head: [[String]]) {
        self.name = name
        self.rows = rows
        self.columnCount = columnCount ?? columns.count
        self.columns = columns
        self.head = head
    }

    private enum CodingKeys: String, CodingKey {
        case name, rows, columnCount, columns, head, statistics
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        rows = try container.decode(Int.self, forKey: .rows)
        columns = try container.decode([ColumnSummary].self, forKey: .columns)
        head = try container.decode([[String]].self, forKey: .head)
        // Previews recorded before the column count was kept held every column.
        columnCount = try container.decodeIfPresent(Int.self, forKey: .columnCount) ?? columns.count
        statistics = try container.decodeIfPresent(String.self, forKey: .statistics)
    }

    /// Rows kept in a preview.
    public static let headRows = 5
    /// Columns kept in a preview: the first features and the target, so that a run over images of 784
    /// pixels keeps a few kilobytes per dataset, not a hundred.
    public static let keptColumns = 64

    /// The preview of `dataset`, named `name`.
    public init(name: String, dataset: Dataset, headRows: Int = DataPreview.headRows) {
        let shown = min(headRows, dataset.rowCount)
        var columns: [ColumnSummary] = []
        var cells = Array(repeating: [String](), count: shown)
        let features = dataset.columns.prefix(Self.keptColumns - (dataset.target == nil ? 0 : 1))
        for (index, column) in features.enumerated() {
            let values = dataset.features.column(index)
            switch column.kind {
            case .numeric:
                columns.append(ColumnSummary(name: column.name, numeric: values, role: .feature))
                for row in 0..<shown { cells[row].append(Self.cell(values[row])) }
            case .categorical(let levels):
                columns.append(ColumnSummary(name: column.name, levels: levels, indices: values, role: .feature))
                for row in 0..<shown { cells[row].append(Self.level(values[row], levels)) }
            }
        }
        if let target = dataset.target {
            var summary: ColumnSummary
            if let classes = target.classNames {
                summary = ColumnSummary(name: target.name, levels: classes, indices: target.values, role: .target)
                for row in 0..<shown { cells[row].append(Self.level(target.values[row], classes)) }
            } else {
                summary = ColumnSummary(name: target.name, numeric: target.values, role: .target)
                for row in 0..<shown { cells[row].append(Self.cell(target.values[row])) }
            }
            summary.classCounts = ClassCount.counts(of: target)
            columns.append(summary)
        }
        self.init(
            name: name, rows: dataset.rowCount, columnCount: dataset.columnCount + (dataset.target == nil ? 0 : 1),
            columns: columns, head: cells)
    }

    private static func cell(_ value: Double) -> String {
        value.isNaN ? "" : ColumnSummary.text(value)
    }

    private static func level(_ value: Double, _ levels: [String]) -> String {
        guard value.isFinite, let index = Int(exactly: value), levels.indices.contains(index) else { return "" }
        return levels[index]
    }
}

/// One column of a `DataPreview`: what it holds, at a glance.
public struct ColumnSummary: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        case feature
        case target
    }

    public var name: String
    public var role: Role
    /// Missing values (empty cells, NaN).
    public var missing: Int
    /// For numbers: the smallest, mean and largest of the values present.
    public var minimum: Double?
    public var mean: Double?
    public var maximum: Double?
    /// For numbers: the population standard deviation of the values present. Absent in previews
    /// recorded before it was kept.
    public var standardDeviation: Double?
    /// For categories: how many distinct values occur.
    public var distinct: Int?
    /// For a target read as classes (text, or few whole numbers): the rows of each class, in the classes'
    /// order, so that a reader sees the balance. Absent for features and in previews recorded before it was
    /// kept.
    public var classCounts: [ClassCount]?

    public init(
        name: String, role: Role, missing: Int, minimum: Double? = nil, mean: Double? = nil, maximum: Double? = nil,
        standardDeviation: Double? = nil, distinct: Int? = nil
    ) {
        self.name = name
        self.role = role
        self.missing = missing
        self.minimum = minimum
        self.mean = mean
        self.maximum = maximum
        self.standardDeviation = standardDeviation
        self.distinct = distinct
    }

    /// The summary of a numeric column, NaN marking a missing value.
    ///
    /// Summarises numbers that may reach the largest doubles: the mean and spread are computed in
    /// units of a power of two near the largest magnitude (dividing by it is exact), so that a
    /// column of 1e308 has the mean 1e308, not the infinity its sum would give.
    public init(name: String, numeric values: [Double], role: Role) {
        var count = 0
        var low = Double.infinity
        var high = -Double.infinity
        for value in values where !value.isNaN {
            count += 1
            low = min(low, value)
            high = max(high, value)
        }
        guard count > 0 else {
            self.init(name: name, role: role, missing: values.count)
            return
        }
        let largest = max(abs(low), abs(high))
        let unit = largest.isFinite && largest > 0 ? Double(sign: .plus, exponent: largest.exponent, significand: 1) : 1
        var sum = 0.0
        for value in values where !value.isNaN { sum += value / unit }
        let scaledMean = sum / Double(count)
        var squares = 0.0
        for value in values where !value.isNaN {
            let deviation = value / unit - scaledMean
            squares += deviation * deviation
        }
        self.init(
            name: name, role: role, missing: values.count - count, minimum: low, mean: scaledMean * unit,
            maximum: high, standardDeviation: (squares / Double(count)).squareRoot() * unit)
    }

    init(name: String, levels: [String], indices: [Double], role: Role) {
        var seen = Set<Int>()
        var missing = 0
        for value in indices {
            if value.isFinite, let index = Int(exactly: value), levels.indices.contains(index) {
                seen.insert(index)
            } else {
                missing += 1
            }
        }
        self.init(name: name, role: role, missing: missing, distinct: seen.count)
    }

    /// A number for a table cell: whole numbers bare, others to 4 significant digits.
    public static func text(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            // 4 significant digits; from 10,000 up %.4g would switch to an exponent, so one decimal.
            return magnitude >= 1e4 ? String(format: "%.1f", value) : String(format: "%.4g", value)
        }
        return String(format: "%.3e", value)
    }
}

/// How many rows of a dataset hold one class of its target.
public struct ClassCount: Sendable, Hashable, Codable {
    public var name: String
    public var count: Int

    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }

    /// The rows per class of `target`, or nil when it is not read as classes: a text target by its class
    /// names, a numeric one when it holds at most `MultilayerPerceptron.maximumClasses` whole numbers (the
    /// rule a classifier reads it by). Missing values are not a class.
    static func counts(of target: Target) -> [ClassCount]? {
        if let names = target.classNames {
            var counts = [Int](repeating: 0, count: names.count)
            for value in target.values {
                if value.isFinite, let index = Int(exactly: value), names.indices.contains(index) { counts[index] += 1 }
            }
            return zip(names, counts).map { ClassCount(name: $0, count: $1) }
        }
        var counts: [Double: Int] = [:]
        for value in target.values where !value.isNaN {
            guard value.isFinite, value == value.rounded() else { return nil }
            counts[value, default: 0] += 1
            if counts.count > MultilayerPerceptron.maximumClasses { return nil }
        }
        guard !counts.isEmpty else { return nil }
        return counts.keys.sorted().map { ClassCount(name: ColumnSummary.text($0), count: counts[$0] ?? 0) }
    }
}
