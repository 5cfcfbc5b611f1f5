/// A table of examples: a numeric feature matrix (categorical columns hold level indices, missing
/// values are NaN), the columns' names and kinds, and an optional target.
public struct Dataset: Sendable, Hashable, Codable {
    public var features: Matrix
    public var columns: [FeatureColumn]
    public var target: Target?

    public init(features: Matrix, columns: [FeatureColumn], target: Target?) {
        self.features = features
        self.columns = columns
        self.target = target
    }

    public var rowCount: Int { features.rows }
    public var columnCount: Int { features.columns }

    /// The rows at `indices`, target included.
    public func rows(_ indices: [Int]) -> Dataset {
        Dataset(features: features.rows(indices), columns: columns, target: target.map { $0.rows(indices) })
    }
}

public struct FeatureColumn: Sendable, Hashable, Codable {
    public var name: String
    public var kind: ColumnKind

    public init(name: String, kind: ColumnKind) {
        self.name = name
        self.kind = kind
    }
}

public enum ColumnKind: Sendable, Hashable, Codable {
    case numeric
    /// Values are indices into `levels`, which are sorted so that encoding is stable.
    case categorical(levels: [String])
}

/// The column to predict. Numeric targets keep their values; categorical ones hold indices into
/// `classNames` (sorted). Which task a target serves is decided by the model that reads it.
public struct Target: Sendable, Hashable, Codable {
    public var name: String
    public var values: [Double]
    /// Set when the column held text: the class names, sorted.
    public var classNames: [String]?

    public init(name: String, values: [Double], classNames: [String]?) {
        self.name = name
        self.values = values
        self.classNames = classNames
    }

    public func rows(_ indices: [Int]) -> Target {
        Target(name: name, values: indices.map { values[$0] }, classNames: classNames)
    }

    /// Whether every value is a whole number (or a class index).
    public var isIntegral: Bool {
        classNames != nil || values.allSatisfy { $0 == $0.rounded() && $0.isFinite }
    }
}
