import Foundation

/// A multilayer perceptron, trained in single precision through BLAS.
///
/// It classifies when the target holds text or at most `maximumClasses` distinct whole numbers
/// (softmax output, cross-entropy), and regresses otherwise (identity output, half the mean
/// squared error), as scikit-learn's MLPClassifier and MLPRegressor do. Defaults, initialisation
/// (Glorot uniform) and the stopping rule (10 epochs without the loss improving by 1e-4 end
/// training early; `epochs` is the most it runs) follow scikit-learn, so results compare.
public struct MultilayerPerceptron: Sendable, Hashable, Codable {
    public static let maximumClasses = 32

    public var featureNames: [String]
    /// The classes, for a classifier; nil for a regressor.
    public var classes: ClassSet?
    public var activation: Activation
    public var layers: [Layer]

    public var isClassifier: Bool { classes != nil }

    public enum Activation: String, Sendable, Hashable, Codable {
        case relu
        case tanh
    }

    /// One fully connected layer: `inputs × outputs` weights, row-major, and a bias per output.
    public struct Layer: Sendable, Hashable, Codable {
        public var inputs: Int
        public var outputs: Int
        public var weights: [Float]
        public var biases: [Float]
    }

    public static let variant = Variants.Variant(
        name: "mlp", summary: "multilayer perceptron", task: [.classification, .regression],
        settings: [
            .optional("hidden", .list(.positiveInteger, minimumCount: 1), default: "[100]", "units per hidden layer"),
            .optional("activation", .choice(["relu", "tanh"]), default: "relu", "hidden activation"),
            .optional("optimizer", .choice(["adam", "sgd"]), default: "adam", "the optimizer"),
            .optional("lr", .positive, default: "0.001", "learning rate"),
            .optional("epochs", .positiveInteger, default: "200", "the most passes over the data"),
            .optional("batch", .positiveInteger, default: "200", "mini-batch size"),
            .optional("alpha", .nonNegative, default: "0.0001", "L2 penalty"),
            .optional("seed", .seed, default: "0", "random seed for initialisation and batches"),
        ])

    public struct Options: Sendable, Hashable {
        public var hidden = [100]
        public var activation = Activation.relu
        public var optimizer = "adam"
        public var lr = 0.001
        public var epochs = 200
        public var batch = 200
        public var alpha = 0.0001
        public var seed = 0
        /// scikit-learn's `tol` and `n_iter_no_change`.
        public var tolerance = 1e-4
        public var patience = 10

        public init() {}

        public init(_ settings: Settings) throws {
            hidden = try settings.ints("hidden", default: hidden)
            let name = try settings.string("activation", default: activation.rawValue)
            guard let activation = Activation(rawValue: name) else {
                throw EngineError("'activation' must be relu or tanh, not '\(name)'")
            }
            self.activation = activation
            optimizer = try settings.string("optimizer", default: optimizer)
            lr = try settings.double("lr", default: lr)
            epochs = try settings.int("epochs", default: epochs)
            batch = try settings.int("batch", default: batch)
            alpha = try settings.double("alpha", default: alpha)
            seed = try settings.int("seed", default: seed)
        }
    }

    /// Whether a target is read as classes by an MLP.
    public static func classifies(_ target: Target) -> Bool {
        if target.classNames != nil { return true }
        guard target.isIntegral else { return false }
        return Set(target.values).count <= maximumClasses
    }

    public static func fit(
        _ dataset: Dataset, validation: Dataset?, options: Options, progress: ((TrainingEvent) -> Void)? = nil
    ) throws -> Trained {
        let x = try dataset.numericFeatures()
        let target = try dataset.requireTarget(for: "an MLP")
        guard x.rows > 0 else { throw EngineError("the training data has no rows") }
        guard options.hidden.allSatisfy({ $0 > 0 }) else { throw EngineError("'hidden' layer sizes must be ≥ 1") }
        let classifier = classifies(target)
        var classes: ClassSet?
        var labels: [Int] = []
        if classifier {
            let (set, indices) = ClassSet.encode(target)
            guard set.count >= 2 else {
                throw EngineError(
                    "target '\(target.name)' has a single class ('\(set.names.first ?? "")'); a classifier needs at least two",
                    column: target.name)
            }
            classes = set
            labels = indices
        }
        let outputs = classes?.count ?? 1
        var generator = SeededGenerator(seed: options.seed)
        let sizes = [x.columns] + options.hidden + [outputs]
        try MemoryEstimate.mlp(
            sizes: sizes, rows: x.rows, batch: min(max(options.batch, 1), x.rows),
            validationRows: validation?.rowCount ?? 0
        ).check()
        var layers: [Layer] = []
        for (inputs, outputs) in zip(sizes, sizes.dropFirst()) {
            let bound = (6.0 / Double(inputs + outputs)).squareRoot()
            let weights = (0..<(inputs * outputs)).map { _ in Float((generator.uniform() * 2 - 1) * bound) }
            let biases = (0..<outputs).map { _ in Float((generator.uniform() * 2 - 1) * bound) }
            layers.append(Layer(inputs: inputs, outputs: outputs, weights: weights, biases: biases))
        }
        var model = MultilayerPerceptron(
            featureNames: dataset.columns.map(\.name), classes: classes, activation: options.activation, layers: layers)
        let validationSet = try validation.map { data -> (Matrix, Target) in
            (try data.numericFeatures(), try data.requireTarget(for: "validation"))
        }
        var trainer = Trainer(
            model: model, x: x.values.map(Float.init), rows: x.rows, labels: labels,
            values: classifier ? [] : target.values.map(Float.init), options: options)
        var series: [String: [SeriesPoint]] = ["loss": []]
        var best = Double.infinity
        var stale = 0
        for epoch in 1...max(1, options.epochs) {
            let loss = trainer.epoch(&generator)
            guard loss.isFinite else {
                throw EngineError(
                    "training diverged at epoch \(epoch) (loss is not finite); lower lr or standardize the features")
            }
            series["loss", default: []].append(SeriesPoint(epoch, loss))
            if let (vx, vt) = validationSet {
                model.layers = trainer.layers
                for (name, value) in try model.validationScores(vx, vt) {
                    series[name, default: []].append(SeriesPoint(epoch, value))
                }
            }
            progress?(TrainingEvent(epoch: epoch, epochs: options.epochs, loss: loss))
            stale = loss > best - options.tolerance ? stale + 1 : 0
            best = min(best, loss)
            if stale > options.patience { break }
        }
        model.layers = trainer.layers
        return Trained(model: .mlp(model), series: series)
    }

    public func predict(_ features: Matrix) throws -> Prediction {
        guard features.columns == layers.first?.inputs else {
            throw EngineError("the model expects \(layers.first?.inputs ?? 0) features, not \(features.columns)")
        }
        try MemoryEstimate.mlpPrediction(
            sizes: [features.columns] + layers.map(\.outputs), rows: features.rows
        ).check()
        let output = forward(features.values.map(Float.init), rows: features.rows)
        let k = layers.last?.outputs ?? 1
        if let classes {
            var probabilities = Matrix(rows: features.rows, columns: k, values: output.map(Double.init))
            softmaxRows(&probabilities)
            return .classes(labels: argmaxRows(probabilities), probabilities: probabilities, classes: classes)
        }
        return .values(output.map(Double.init))
    }

    /// The raw outputs (logits or values) for `rows` rows of `input`.
    func forward(_ input: [Float], rows: Int) -> [Float] {
        var current = input
        for (index, layer) in layers.enumerated() {
            var next = [Float](repeating: 0, count: rows * layer.outputs)
            current.withUnsafeBufferPointer { a in
                layer.weights.withUnsafeBufferPointer { w in
                    next.withUnsafeMutableBufferPointer { z in
                        guard let a = a.baseAddress, let w = w.baseAddress, let z = z.baseAddress, rows > 0 else {
                            return
                        }
                        BLAS.gemm(
                            transposeA: false, transposeB: false, m: rows, n: layer.outputs, k: layer.inputs, alpha: 1,
                            a: a, lda: layer.inputs, b: w, ldb: layer.outputs, beta: 0, c: z, ldc: layer.outputs)
                    }
                }
            }
            let hidden = index < layers.count - 1
            next.withUnsafeMutableBufferPointer { z in
                layer.biases.withUnsafeBufferPointer { b in
                    for r in 0..<rows {
                        let row = r * layer.outputs
                        for c in 0..<layer.outputs {
                            let value = z[row + c] + b[c]
                            z[row + c] = hidden ? activate(value) : value
                        }
                    }
                }
            }
            current = next
        }
        return current
    }

    @inline(__always) func activate(_ value: Float) -> Float {
        switch activation {
        case .relu: max(value, 0)
        case .tanh: Foundation.tanh(value)
        }
    }

    /// val_loss with val_accuracy (classifier) or val_rmse (regressor).
    func validationScores(_ x: Matrix, _ target: Target) throws -> [(String, Double)] {
        let prediction = try predict(x)
        switch prediction {
        case .classes(_, let probabilities, let classes):
            let labels = classes.indices(of: target)
            return [
                ("val_loss", meanLogLoss(probabilities, labels)), ("val_accuracy", accuracy(probabilities, labels)),
            ]
        case .values(let values):
            var squared = 0.0
            for (p, y) in zip(values, target.values) { squared += (p - y) * (p - y) }
            let mse = squared / Double(max(values.count, 1))
            return [("val_loss", mse / 2), ("val_rmse", mse.squareRoot())]
        case .clusters:
            return []
        }
    }
}
