import Foundation

/// Histogram-based gradient-boosted trees, after scikit-learn's HistGradientBoostingClassifier and
/// HistGradientBoostingRegressor: squared error for a numeric target, log loss for two classes, and
/// for more one tree per class and iteration under a softmax. It classifies the targets an MLP
/// classifies (text, or at most 32 distinct whole numbers).
///
/// Missing values need no imputing: NaN has a bin of its own, each split learns which side it
/// goes, and a feature that had none in training sends it to the child that had more rows.
public struct GradientBoosting: Sendable, Hashable, Codable {
    public var featureNames: [String]
    /// The classes, for a classifier; nil for a regressor.
    public var classes: ClassSet?
    /// The raw score before any tree, per output: one for a regressor or a binary classifier, one
    /// per class otherwise.
    public var baseline: [Double]
    /// Tree `iteration × outputs + output` adds to output `output`'s raw score.
    var trees: [DecisionNodes]
    /// Each feature's share of the gain of every split (summing to 1; all 0 without a split).
    public var importances: [Double]

    public var isClassifier: Bool { classes != nil }
    public var outputs: Int { baseline.count }
    /// The boosting iterations that were run (fewer than asked when early stopping ended it).
    public var iterations: Int { outputs > 0 ? trees.count / outputs : 0 }

    public static let variant = Variants.Variant(
        name: "gradient_boosting", summary: "histogram-based gradient-boosted trees; missing values need no impute",
        task: [.classification, .regression],
        settings: [
            .optional("iterations", .positiveInteger, default: "100", "the most boosting iterations"),
            .optional("lr", .positive, default: "0.1", "learning rate: each tree's shrinkage"),
            .optional("leaves", .integer(Bounds(minimum: 2)), default: "31", "the most leaves per tree"),
            .optional("depth", .positiveInteger, default: "none", "the deepest a tree may grow"),
            .optional("min_leaf", .positiveInteger, default: "20", "the fewest rows in a leaf"),
            .optional("l2", .nonNegative, default: "0", "L2 penalty on leaf values"),
            .optional("bins", .integer(Bounds(minimum: 2, maximum: 255)), default: "255", "bins per feature"),
            .optional(
                "early_stopping", .choice(["auto", "true", "false"]), default: "auto",
                "stop after 10 iterations without a better validation loss; auto: above 10,000 rows"),
            .optional(
                "validation", .datasetOr(.fraction), default: "0.1",
                "data scored after each iteration: a dataset, or the fraction of the input held out to stop early"),
            .optional("seed", .seed, default: "0", "random seed for the held-out validation rows"),
        ])

    public enum EarlyStopping: String, Sendable, Hashable {
        case auto, on, off
    }

    public struct Options: Sendable, Hashable {
        public var iterations = 100
        public var lr = 0.1
        public var leaves = 31
        public var depth: Int?
        public var minLeaf = 20
        public var l2 = 0.0
        public var bins = 255
        public var earlyStopping = EarlyStopping.auto
        /// The share of the input held out when early stopping has no validation dataset.
        public var validationFraction = 0.1
        public var seed = 0
        /// scikit-learn's `n_iter_no_change` and `tol`.
        public var patience = 10
        public var tolerance = 1e-7
        /// `auto` turns early stopping on above this many rows, as scikit-learn does.
        public static let autoRows = 10_000

        public init() {}

        public init(_ settings: Settings) throws {
            iterations = try settings.int("iterations", default: iterations)
            lr = try settings.double("lr", default: lr)
            leaves = try settings.int("leaves", default: leaves)
            depth = try settings.values["depth"].map { _ in try settings.int("depth", default: 0) }
            minLeaf = try settings.int("min_leaf", default: minLeaf)
            l2 = try settings.double("l2", default: l2)
            bins = try settings.int("bins", default: bins)
            switch settings.values["early_stopping"] {
            case nil: break
            case .bool(let on)?: earlyStopping = on ? .on : .off
            case .string("auto")?: earlyStopping = .auto
            case .string("true")?: earlyStopping = .on
            case .string("false")?: earlyStopping = .off
            default: throw EngineError("'early_stopping' must be auto, true or false")
            }
            // A dataset reference arrives as text and is read by the caller; a number is a fraction.
            if let fraction = settings.values["validation"]?.double { validationFraction = fraction }
            seed = try settings.int("seed", default: seed)
            guard iterations >= 1 else { throw EngineError("'iterations' must be ≥ 1") }
            guard lr > 0 else { throw EngineError("'lr' must be > 0") }
            guard leaves >= 2 else { throw EngineError("'leaves' must be ≥ 2") }
            guard depth.map({ $0 >= 1 }) ?? true else { throw EngineError("'depth' must be ≥ 1") }
            guard minLeaf >= 1 else { throw EngineError("'min_leaf' must be ≥ 1") }
            guard l2 >= 0 else { throw EngineError("'l2' must be ≥ 0") }
            guard (2...255).contains(bins) else { throw EngineError("'bins' must be in [2, 255]") }
            guard validationFraction > 0, validationFraction < 1 else {
                throw EngineError("'validation' must be a dataset or a fraction in (0, 1)")
            }
        }
    }

    init(featureNames: [String], classes: ClassSet?, baseline: [Double], trees: [DecisionNodes], importances: [Double])
    {
        self.featureNames = featureNames
        self.classes = classes
        self.baseline = baseline
        self.trees = trees
        self.importances = importances
    }

    enum CodingKeys: String, CodingKey {
        case featureNames, classes, baseline, trees, importances
    }

    /// Decodes a model and checks that its trees fit together, so that a damaged model file is an
    /// error rather than a crash at prediction.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        featureNames = try container.decode([String].self, forKey: .featureNames)
        classes = try container.decodeIfPresent(ClassSet.self, forKey: .classes)
        baseline = try container.decode([Double].self, forKey: .baseline)
        trees = try container.decode([DecisionNodes].self, forKey: .trees)
        importances = try container.decode([Double].self, forKey: .importances)
        let expectedOutputs = classes.map { $0.count == 2 ? 1 : $0.count } ?? 1
        guard baseline.count == expectedOutputs, trees.count % expectedOutputs == 0,
            importances.count == featureNames.count,
            trees.allSatisfy({ $0.isWellFormed(features: featureNames.count) })
        else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "inconsistent boosted trees"))
        }
    }

    public func predict(_ features: Matrix) throws -> Prediction {
        guard features.columns == featureNames.count else {
            throw EngineError("the model expects \(featureNames.count) features, not \(features.columns)")
        }
        let raw = rawScores(features)
        guard let classes else { return .values(raw.values) }
        let probabilities = Self.probabilities(raw)
        return .classes(labels: argmaxRows(probabilities), probabilities: probabilities, classes: classes)
    }

    /// Rows × outputs raw scores: the baseline plus every tree's leaf, summed in tree order.
    func rawScores(_ features: Matrix) -> Matrix {
        let rows = features.rows
        let k = outputs
        let width = features.columns
        var raw = [Double](repeating: 0, count: rows * k)
        raw.withUnsafeMutableBufferPointer { output in
            let shared = SharedBuffer(base: output)
            features.values.withUnsafeBufferPointer { input in
                guard let x = input.baseAddress else { return }
                ThreadBudget.forEachRange(of: rows, minimum: 1 << 12) { range in
                    for row in range {
                        let values = x + row * width
                        for output in 0..<k { shared.base[row * k + output] = baseline[output] }
                        for (index, tree) in trees.enumerated() {
                            shared.base[row * k + index % k] += tree.output(values)
                        }
                    }
                }
            }
        }
        return Matrix(rows: rows, columns: k, values: raw)
    }

    /// Class probabilities from raw scores: a sigmoid for one output, a softmax for several.
    static func probabilities(_ raw: Matrix) -> Matrix {
        if raw.columns == 1 {
            var result = Matrix(rows: raw.rows, columns: 2)
            for r in 0..<raw.rows {
                let positive = sigmoid(raw.values[r])
                result[r, 0] = 1 - positive
                result[r, 1] = positive
            }
            return result
        }
        var result = raw
        softmaxRows(&result)
        return result
    }
}
