import Foundation

/// A trained model: what `train` produces, the cache stores, and `evaluate` and `predict` read.
/// Encoded as JSON with sorted keys, which decodes to a model giving identical predictions.
public enum Model: Sendable, Hashable, Codable {
    case linear(LinearRegression)
    case logistic(LogisticRegression)
    case mlp(MultilayerPerceptron)
    case kmeans(KMeans)
    case gradientBoosting(GradientBoosting)
    case decisionTree(Forest)
    case randomForest(Forest)

    public var task: Task {
        switch self {
        case .linear: .regression
        case .logistic: .classification
        case .mlp(let model): model.isClassifier ? .classification : .regression
        case .kmeans: .clustering
        case .gradientBoosting(let model): model.isClassifier ? .classification : .regression
        case .decisionTree(let model), .randomForest(let model): model.isClassifier ? .classification : .regression
        }
    }

    /// The model's predictions for `features` (numeric, the columns it was trained on).
    public func predict(_ features: Matrix) throws -> Prediction {
        switch self {
        case .linear(let model): try model.predict(features)
        case .logistic(let model): try model.predict(features)
        case .mlp(let model): try model.predict(features)
        case .kmeans(let model): try model.predict(features)
        case .gradientBoosting(let model): try model.predict(features)
        case .decisionTree(let model), .randomForest(let model): try model.predict(features)
        }
    }

    /// The feature columns the model was trained on, to check a dataset against.
    public var featureNames: [String] {
        switch self {
        case .linear(let model): model.featureNames
        case .logistic(let model): model.featureNames
        case .mlp(let model): model.featureNames
        case .kmeans(let model): model.featureNames
        case .gradientBoosting(let model): model.featureNames
        case .decisionTree(let model), .randomForest(let model): model.featureNames
        }
    }

    /// Whether the model takes NaN features as they are (boosting), rather than asking for `impute`.
    public var acceptsMissing: Bool {
        if case .gradientBoosting = self { return true }
        return false
    }

    /// Each feature's importance, largest first, for models that measure it (boosting's gain, trees'
    /// and forests' impurity decrease).
    public var featureImportances: [(feature: String, importance: Double)]? {
        let names: [String]
        let importances: [Double]
        switch self {
        case .gradientBoosting(let model): (names, importances) = (model.featureNames, model.importances)
        case .decisionTree(let model), .randomForest(let model):
            (names, importances) = (model.featureNames, model.importances)
        default: return nil
        }
        return zip(names, importances).enumerated().sorted { a, b in
            a.element.1 > b.element.1 || (a.element.1 == b.element.1 && a.offset < b.offset)
        }.map { (feature: $0.element.0, importance: $0.element.1) }
    }

    /// Predictions for a dataset, after checking it has the model's columns in order.
    public func predict(_ dataset: Dataset) throws -> Prediction {
        let names = dataset.columns.map(\.name)
        guard names == featureNames else {
            let missing = featureNames.filter { !names.contains($0) }
            let detail =
                missing.isEmpty
                ? "its columns differ in order or number"
                : "it lacks \(missing.prefix(5).map { "'\($0)'" }.joined(separator: ", "))"
            throw EngineError("the dataset does not match the model's \(featureNames.count) feature columns: \(detail)")
        }
        return try predict(try dataset.numericFeatures(allowingMissing: acceptsMissing))
    }

    /// JSON, with NaN and infinities spelled as strings: a model whose training diverged is still a
    /// model to store and report, not an encoder's error.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array(try encoder.encode(self))
    }

    public static func decoded(from bytes: [UInt8]) throws -> Model {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(Model.self, from: Data(bytes))
    }
}

/// What a model says about each row.
public enum Prediction: Sendable, Hashable {
    /// Class indices into `classes`, with each class's probability (rows × classes).
    case classes(labels: [Int], probabilities: Matrix, classes: ClassSet)
    case values([Double])
    /// Cluster indices and the centres.
    case clusters(labels: [Int], centers: Matrix)
}

/// The classes a classifier knows, fixed at training: names sorted as the target's classes, and
/// for numeric targets the values each class stands for.
public struct ClassSet: Sendable, Hashable, Codable {
    public var names: [String]
    /// The target value of each class, for numeric targets; nil for text targets.
    public var values: [Double]?

    public var count: Int { names.count }

    /// The classes of a target and each row's class index.
    public static func encode(_ target: Target) -> (ClassSet, [Int]) {
        if let names = target.classNames {
            return (ClassSet(names: names, values: nil), target.values.map { Int($0) })
        }
        let values = Array(Set(target.values)).sorted()
        let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
        let names = values.map(\.shortText)
        return (ClassSet(names: names, values: values), target.values.map { index[$0] ?? -1 })
    }

    /// Each row's class index in this set; a class the model never saw is -1 (always wrong).
    public func indices(of target: Target) -> [Int] {
        if let values {
            let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
            return target.values.map { index[$0] ?? -1 }
        }
        let mine = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let theirs = target.classNames ?? []
        return target.values.map { value in
            let position = Int(value)
            guard position >= 0, position < theirs.count else { return -1 }
            return mine[theirs[position]] ?? -1
        }
    }
}

/// A point of a training series: `loss` at epoch 3.
public struct SeriesPoint: Sendable, Hashable, Codable {
    public var index: Int
    public var value: Double

    public init(_ index: Int, _ value: Double) {
        self.index = index
        self.value = value
    }
}

/// Progress of a training step, for a live display.
public struct TrainingEvent: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var loss: Double
    /// What `epoch` counts, as a progress line names it: `epoch`, `iteration` (boosting, L-BFGS), `restart`.
    public var unit: String

    public init(epoch: Int, epochs: Int, loss: Double, unit: String = "epoch") {
        self.epoch = epoch
        self.epochs = epochs
        self.loss = loss
        self.unit = unit
    }
}

/// A trained model with the series recorded while training (`loss`, `val_loss`, ...).
public struct Trained: Sendable {
    public var model: Model
    public var series: [String: [SeriesPoint]]
}
