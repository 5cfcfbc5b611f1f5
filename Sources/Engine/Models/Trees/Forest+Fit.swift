import Foundation

extension Forest {
    public struct Options: Sendable, Hashable {
        public var trees = 1
        public var depth: Int?
        public var minLeaf = 1
        /// nil: gini to classify, squared_error to regress.
        public var criterion: String?
        /// `sqrt`, `all`, or a fraction as text; nil: sqrt to classify, all to regress (a forest), all (a tree).
        public var features: SettingValue?
        public var bootstrap = false
        public var seed = 0

        public init() {}

        /// The options of `model: decision_tree` (`forest` false) or `model: random_forest`.
        public init(forest: Bool, _ settings: Settings) throws {
            if forest {
                trees = try settings.int("trees", default: 100)
                bootstrap = try settings.bool("bootstrap", default: true)
                features = settings.values["features"]
            }
            depth = try settings.values["depth"].map { _ in try settings.int("depth", default: 0) }
            minLeaf = try settings.int("min_leaf", default: minLeaf)
            criterion = try settings.values["criterion"].map { _ in try settings.string("criterion", default: "") }
            seed = try settings.int("seed", default: seed)
            guard trees >= 1 else { throw EngineError("'trees' must be ≥ 1") }
            guard depth.map({ $0 >= 1 }) ?? true else { throw EngineError("'depth' must be ≥ 1") }
            guard minLeaf >= 1 else { throw EngineError("'min_leaf' must be ≥ 1") }
        }
    }

    /// Fits one tree on all rows (`trees` 1, no bootstrap) or a forest of trees on bootstrap samples,
    /// the trees in parallel, each with its own seed drawn in order, so the forest is the same at
    /// any thread count.
    public static func fit(_ dataset: Dataset, options: Options, forest: Bool) throws -> Trained {
        let x = try dataset.numericFeatures()
        let target = try dataset.requireTarget(for: forest ? "a random forest" : "a decision tree")
        guard x.rows > 0 else { throw EngineError("the training data has no rows") }
        guard x.columns > 0 else { throw EngineError("the training data has no feature columns") }
        let classifier = MultilayerPerceptron.classifies(target)
        var classes: ClassSet?
        var labels: [Int] = []
        if classifier {
            let (set, indices) = try ClassSet.encodeTwoOrMore(target)
            classes = set
            labels = indices
        } else if let bad = target.values.firstIndex(where: { !$0.isFinite }) {
            throw EngineError(
                "target '\(target.name)' has a missing or infinite value (row \(bad + 1) of this dataset)",
                column: target.name)
        }
        let criterion = try Self.criterion(options.criterion, classifier: classifier)
        let features = try Self.featureCount(options.features, of: x.columns, forest: forest, classifier: classifier)
        try MemoryEstimate.forest(
            trees: options.trees, rows: x.rows, features: x.columns, outputs: classes?.count ?? 1,
            depth: options.depth, minLeaf: options.minLeaf, concurrent: ThreadBudget.workers(for: options.trees)
        ).check()
        var master = SeededGenerator(seed: options.seed)
        let seeds = (0..<options.trees).map { _ in Int(truncatingIfNeeded: master.next()) }
        let n = x.rows
        var grown = [TreeBuilder.Grown?](repeating: nil, count: options.trees)
        var importances = [[Double]](repeating: [], count: options.trees)
        var rankStorage = [Int32](repeating: 0, count: x.rows * x.columns)
        let distinct = rankStorage.withUnsafeMutableBufferPointer { FeatureRanks.rank(x, into: $0) }
        x.values.withUnsafeBufferPointer { input in
            rankStorage.withUnsafeBufferPointer { rankBuffer in
                guard let base = input.baseAddress, let rankBase = rankBuffer.baseAddress else { return }
                let builder = TreeBuilder(
                    x: base, width: x.columns, ranks: FeatureRanks(ranks: rankBase, rows: x.rows, distinct: distinct),
                    labels: labels, values: classifier ? [] : target.values,
                    outputs: classes?.count ?? 1,
                    options: TreeBuilder.Options(
                        criterion: criterion, depth: options.depth, minLeaf: options.minLeaf, features: features))
                let job = ForestJob(builder: builder)
                grown.withUnsafeMutableBufferPointer { trees in
                    importances.withUnsafeMutableBufferPointer { gains in
                        let slots = ForestSlots(trees: trees, gains: gains)
                        ThreadBudget.concurrentPerform(iterations: options.trees) { index in
                            var generator = SeededGenerator(seed: seeds[index])
                            let rows =
                                options.bootstrap ? (0..<n).map { _ in generator.index(below: n) } : Array(0..<n)
                            var gain = [Double](repeating: 0, count: x.columns)
                            slots.trees[index] = job.builder.grow(rows: rows, generator: &generator, importances: &gain)
                            let total = gain.reduce(0, +)
                            slots.gains[index] = gain.map { total > 0 ? $0 / total : 0 }
                        }
                    }
                }
            }
        }
        let built = grown.compactMap { $0 }
        var mean = [Double](repeating: 0, count: x.columns)
        for gain in importances {
            for (feature, value) in gain.enumerated() { mean[feature] += value / Double(options.trees) }
        }
        let model = Forest(
            featureNames: dataset.columns.map(\.name), classes: classes, trees: built.map(\.nodes),
            leafOutputs: built.map(\.leafOutputs), importances: mean)
        return Trained(model: forest ? .randomForest(model) : .decisionTree(model), series: [:])
    }

    static func criterion(_ name: String?, classifier: Bool) throws -> TreeBuilder.Criterion {
        guard let name else { return classifier ? .gini : .squaredError }
        guard let criterion = TreeBuilder.Criterion(rawValue: name) else {
            throw EngineError("'criterion' must be gini, entropy or squared_error, not '\(name)'")
        }
        if classifier, criterion == .squaredError {
            throw EngineError(
                "'criterion' squared_error is for regression, and this target is classified; use gini or entropy")
        }
        if !classifier, criterion != .squaredError {
            throw EngineError(
                "'criterion' \(name) is for classification, and this target is regressed (it is not text "
                    + "nor at most \(MultilayerPerceptron.maximumClasses) whole numbers); use squared_error")
        }
        return criterion
    }

    static func featureCount(_ setting: SettingValue?, of width: Int, forest: Bool, classifier: Bool) throws -> Int {
        guard forest else { return width }
        switch setting {
        case nil: return classifier ? max(1, Int(Double(width).squareRoot())) : width
        case .string("sqrt")?: return max(1, Int(Double(width).squareRoot()))
        case .string("all")?: return width
        case let value?:
            guard let fraction = value.double, fraction > 0, fraction <= 1 else {
                throw EngineError("'features' must be sqrt, all or a fraction in (0, 1)")
            }
            return max(1, Int(fraction * Double(width)))
        }
    }
}

/// The builder the forest's threads share; it only reads.
private struct ForestJob: @unchecked Sendable {
    // @unchecked: the builder holds a pointer to the features, read only, alive for the whole loop.
    let builder: TreeBuilder
}

/// The slots the forest's threads fill, one tree each.
private struct ForestSlots: @unchecked Sendable {
    // @unchecked: each thread writes only index `index` of both buffers.
    let trees: UnsafeMutableBufferPointer<TreeBuilder.Grown?>
    let gains: UnsafeMutableBufferPointer<[Double]>
}
