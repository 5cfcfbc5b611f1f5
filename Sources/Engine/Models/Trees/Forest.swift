import Foundation

/// A decision tree or a random forest: CART trees whose leaves hold class shares (a classifier) or
/// a mean (a regressor), averaged over the trees, as scikit-learn's DecisionTree and RandomForest
/// predict. They classify the targets an MLP classifies, and need imputed data.
public struct Forest: Sendable, Hashable, Codable {
    public var featureNames: [String]
    public var classes: ClassSet?
    var trees: [DecisionNodes]
    /// Per tree, `outputs` values per node.
    var leafOutputs: [[Double]]
    /// Each feature's share of the impurity decrease of every split (summing to 1; all 0 without one).
    public var importances: [Double]

    public var isClassifier: Bool { classes != nil }
    var outputs: Int { classes?.count ?? 1 }

    static let criterionSetting = SettingSpec.optional(
        "criterion", .choice(["gini", "entropy", "squared_error"]), default: "gini (squared_error to regress)",
        "the impurity a split lowers")

    public static let treeVariant = Variants.Variant(
        name: "decision_tree", summary: "a CART decision tree; needs imputed data",
        task: [.classification, .regression],
        settings: [
            .optional("depth", .positiveInteger, default: "none", "the deepest the tree may grow"),
            .optional("min_leaf", .positiveInteger, default: "1", "the fewest rows in a leaf"),
            criterionSetting,
            .optional("seed", .seed, default: "0", "random seed for the order features are tried in"),
        ])

    public static let forestVariant = Variants.Variant(
        name: "random_forest", summary: "a random forest of CART trees; needs imputed data",
        task: [.classification, .regression],
        settings: [
            .optional("trees", .positiveInteger, default: "100", "the number of trees"),
            .optional("depth", .positiveInteger, default: "none", "the deepest a tree may grow"),
            .optional("min_leaf", .positiveInteger, default: "1", "the fewest rows in a leaf"),
            .optional(
                "features", .choiceOr(["sqrt", "all"], .fraction), default: "sqrt (all to regress)",
                "features tried at each split: sqrt, all, or a fraction of them"),
            .optional("bootstrap", .boolean, default: "true", "train each tree on rows drawn with replacement"),
            criterionSetting,
            .optional("seed", .seed, default: "0", "random seed for the rows and features each tree draws"),
        ])

    enum CodingKeys: String, CodingKey {
        case featureNames, classes, trees, leafOutputs, importances
    }

    init(
        featureNames: [String], classes: ClassSet?, trees: [DecisionNodes], leafOutputs: [[Double]],
        importances: [Double]
    ) {
        self.featureNames = featureNames
        self.classes = classes
        self.trees = trees
        self.leafOutputs = leafOutputs
        self.importances = importances
    }

    /// Decodes a model and checks that its trees fit together, so that a damaged model file is an
    /// error rather than a crash at prediction.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        featureNames = try container.decode([String].self, forKey: .featureNames)
        classes = try container.decodeIfPresent(ClassSet.self, forKey: .classes)
        trees = try container.decode([DecisionNodes].self, forKey: .trees)
        leafOutputs = try container.decode([[Double]].self, forKey: .leafOutputs)
        importances = try container.decode([Double].self, forKey: .importances)
        let width = classes?.count ?? 1
        guard !trees.isEmpty, trees.count == leafOutputs.count, importances.count == featureNames.count,
            zip(trees, leafOutputs).allSatisfy({
                $0.isWellFormed(features: featureNames.count) && $1.count == $0.count * width
            })
        else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "inconsistent trees"))
        }
    }

    public func predict(_ features: Matrix) throws -> Prediction {
        guard features.columns == featureNames.count else {
            throw EngineError("the model expects \(featureNames.count) features, not \(features.columns)")
        }
        let k = outputs
        let rows = features.rows
        var sums = [Double](repeating: 0, count: rows * k)
        features.values.withUnsafeBufferPointer { input in
            guard let x = input.baseAddress else { return }
            for (tree, leaves) in zip(trees, leafOutputs) {
                for row in 0..<rows {
                    let leaf = tree.leaf(x + row * features.columns)
                    for c in 0..<k { sums[row * k + c] += leaves[leaf * k + c] }
                }
            }
        }
        let scale = 1 / Double(trees.count)
        let averaged = Matrix(rows: rows, columns: k, values: sums.map { $0 * scale })
        guard let classes else { return .values(averaged.values) }
        return .classes(labels: argmaxRows(averaged), probabilities: averaged, classes: classes)
    }
}
