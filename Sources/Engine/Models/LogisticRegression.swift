import Foundation

/// Logistic regression (`logistic`: binary with one weight vector, multinomial beyond two classes)
/// and multinomial softmax regression (`softmax`), with scikit-learn's L2 convention: the mean
/// log-loss plus alpha / (2n) ‖W‖², the intercept unpenalised (alpha = 1/C).
public struct LogisticRegression: Sendable, Hashable, Codable {
    public var featureNames: [String]
    public var classes: ClassSet
    /// p × k weights (k = 1 for the binary form), row-major.
    public var weights: Matrix
    public var intercepts: [Double]

    public var isBinary: Bool { weights.columns == 1 }

    static let settings: [SettingSpec] = [
        .optional("alpha", .nonNegative, default: "1.0", "L2 strength (scikit-learn's C = 1/alpha)"),
        .optional("solver", .choice(["lbfgs", "sgd", "adam"]), default: "lbfgs", "the optimizer"),
        .optional("iterations", .positiveInteger, default: "100", "L-BFGS iterations"),
        .optional("lr", .positive, default: "0.01", "learning rate (sgd, adam)"),
        .optional("epochs", .positiveInteger, default: "100", "passes over the data (sgd, adam)"),
        .optional("batch", .positiveInteger, default: "200", "mini-batch size (sgd, adam)"),
        .optional("seed", .seed, default: "0", "random seed for mini-batches (sgd, adam)"),
    ]

    public static let logisticVariant = Variants.Variant(
        name: "logistic", summary: "logistic regression", task: .classification, settings: settings)
    public static let softmaxVariant = Variants.Variant(
        name: "softmax", summary: "multinomial logistic regression", task: .classification, settings: settings)

    public struct Options: Sendable, Hashable {
        public var multinomial = false
        public var alpha = 1.0
        public var solver = "lbfgs"
        public var iterations = 100
        public var lr = 0.01
        public var epochs = 100
        public var batch = 200
        public var seed = 0

        public init() {}

        public init(multinomial: Bool, _ settings: Settings) throws {
            self.multinomial = multinomial
            alpha = try settings.double("alpha", default: alpha)
            solver = try settings.string("solver", default: solver)
            iterations = try settings.int("iterations", default: iterations)
            lr = try settings.double("lr", default: lr)
            epochs = try settings.int("epochs", default: epochs)
            batch = try settings.int("batch", default: batch)
            seed = try settings.int("seed", default: seed)
        }
    }

    public static func fit(
        _ dataset: Dataset, validation: Dataset?, options: Options, progress: ((TrainingEvent) -> Void)? = nil
    ) throws -> Trained {
        let x = try dataset.numericFeatures()
        let target = try dataset.requireTarget(for: "a classifier")
        let (classes, labels) = ClassSet.encode(target)
        guard classes.count >= 2 else {
            throw EngineError(
                "target '\(target.name)' has a single class ('\(classes.names.first ?? "")'); a classifier needs at least two",
                column: target.name)
        }
        guard x.rows > 0 else { throw EngineError("the training data has no rows") }
        let binary = classes.count == 2 && !options.multinomial
        let k = binary ? 1 : classes.count
        let p = x.columns
        try MemoryEstimate.logistic(
            rows: x.rows, features: p, outputs: k, batch: options.solver == "lbfgs" ? nil : max(options.batch, 1),
            validationRows: validation?.rowCount ?? 0
        ).check()
        let objective = Objective(x: x, labels: labels, outputs: k, alpha: options.alpha, total: x.rows)
        let validationData = try validation.map { data -> (Matrix, [Int]) in
            (try data.numericFeatures(), classes.indices(of: try data.requireTarget(for: "validation")))
        }
        var series: [String: [SeriesPoint]] = ["loss": []]
        func record(_ index: Int, _ parameters: [Double], _ loss: Double) {
            series["loss", default: []].append(SeriesPoint(index, loss))
            if let (vx, vy) = validationData {
                let model = LogisticRegression(
                    featureNames: [], classes: classes, parameters: parameters, p: p, k: k)
                let probabilities = model.probabilities(vx)
                series["val_loss", default: []].append(SeriesPoint(index, meanLogLoss(probabilities, vy)))
                series["val_accuracy", default: []].append(SeriesPoint(index, accuracy(probabilities, vy)))
            }
            progress?(
                TrainingEvent(
                    epoch: index, epochs: options.solver == "lbfgs" ? options.iterations : options.epochs, loss: loss,
                    unit: options.solver == "lbfgs" ? "iteration" : "epoch"))
        }
        var parameters = [Double](repeating: 0, count: p * k + k)
        if options.solver == "lbfgs" {
            var solver = LBFGS()
            solver.maximumIterations = options.iterations
            var scratch = [Double](repeating: 0, count: parameters.count)
            record(0, parameters, objective.evaluate(parameters, &scratch))
            parameters =
                solver.minimize(from: parameters, objective: objective.evaluate, onIteration: record).parameters
        } else {
            var optimizer = FirstOrderOptimizer(
                kind: options.solver == "adam" ? .adam : .sgd, lr: options.lr, count: parameters.count)
            var generator = SeededGenerator(seed: options.seed)
            var order = Array(0..<x.rows)
            let batch = min(options.batch, x.rows)
            var gradient = [Double](repeating: 0, count: parameters.count)
            for epoch in 1...max(1, options.epochs) {
                generator.shuffle(&order)
                for start in stride(from: 0, to: order.count, by: batch) {
                    let rows = Array(order[start..<min(start + batch, order.count)])
                    let part = Objective(
                        x: x.rows(rows), labels: rows.map { labels[$0] }, outputs: k, alpha: options.alpha,
                        total: x.rows)
                    _ = part.evaluate(parameters, &gradient)
                    optimizer.step(&parameters, gradient)
                }
                record(epoch, parameters, objective.evaluate(parameters, &gradient))
            }
        }
        guard parameters.allSatisfy(\.isFinite) else {
            throw EngineError("training diverged (non-finite weights); lower lr or standardize the features")
        }
        let model = LogisticRegression(
            featureNames: dataset.columns.map(\.name), classes: classes, parameters: parameters, p: p, k: k)
        return Trained(model: .logistic(model), series: series)
    }

    init(featureNames: [String], classes: ClassSet, parameters: [Double], p: Int, k: Int) {
        self.featureNames = featureNames
        self.classes = classes
        self.weights = Matrix(rows: p, columns: k, values: Array(parameters[0..<(p * k)]))
        self.intercepts = Array(parameters[(p * k)...])
    }

    /// Rows × classes probabilities.
    func probabilities(_ x: Matrix) -> Matrix {
        var z = x.multiplied(by: weights)
        let k = weights.columns
        if k == 1 {
            var result = Matrix(rows: x.rows, columns: 2)
            for r in 0..<x.rows {
                let positive = sigmoid(z.values[r] + intercepts[0])
                result[r, 0] = 1 - positive
                result[r, 1] = positive
            }
            return result
        }
        for r in 0..<x.rows {
            for c in 0..<k { z[r, c] += intercepts[c] }
        }
        softmaxRows(&z)
        return z
    }

    public func predict(_ features: Matrix) throws -> Prediction {
        guard features.columns == weights.rows else {
            throw EngineError("the model expects \(weights.rows) features, not \(features.columns)")
        }
        let probabilities = probabilities(features)
        return .classes(labels: argmaxRows(probabilities), probabilities: probabilities, classes: classes)
    }

    /// The mean log-loss with L2, and its gradient, over the rows of `x`.
    struct Objective {
        let x: Matrix
        let labels: [Int]
        let outputs: Int
        let alpha: Double
        /// Rows of the whole training set, which scales the penalty as in scikit-learn.
        let total: Int

        func evaluate(_ parameters: [Double], _ gradient: inout [Double]) -> Double {
            let n = x.rows
            let p = x.columns
            let k = outputs
            let weights = Matrix(rows: p, columns: k, values: Array(parameters[0..<(p * k)]))
            var z = x.multiplied(by: weights)
            var loss = 0.0
            // z becomes the residual (probability − indicator), the gradient of the loss in z.
            if k == 1 {
                let b = parameters[p]
                for r in 0..<n {
                    let score = z.values[r] + b
                    let y = labels[r] == 1 ? 1.0 : 0.0
                    // log(1 + e^score) − y·score, computed stably.
                    loss += (score > 0 ? score + log1p(exp(-score)) : log1p(exp(score))) - y * score
                    z.values[r] = sigmoid(score) - y
                }
            } else {
                for r in 0..<n {
                    var largest = -Double.infinity
                    for c in 0..<k {
                        z[r, c] += parameters[p * k + c]
                        largest = max(largest, z[r, c])
                    }
                    var sum = 0.0
                    for c in 0..<k { sum += exp(z[r, c] - largest) }
                    let logSum = largest + log(sum)
                    loss += logSum - z[r, labels[r]]
                    for c in 0..<k { z[r, c] = exp(z[r, c] - logSum) }
                    z[r, labels[r]] -= 1
                }
            }
            let scale = 1 / Double(n)
            let weightGradient = x.multiplied(by: z, transposingSelf: true)
            var penalty = 0.0
            let strength = alpha / Double(total)
            for i in 0..<(p * k) {
                penalty += parameters[i] * parameters[i]
                gradient[i] = weightGradient.values[i] * scale + strength * parameters[i]
            }
            for c in 0..<k {
                var sum = 0.0
                for r in 0..<n { sum += z[r, c] }
                gradient[p * k + c] = sum * scale
            }
            return loss * scale + 0.5 * strength * penalty
        }
    }
}

@inline(__always) func sigmoid(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
}

/// Each row turned into probabilities, stably.
func softmaxRows(_ z: inout Matrix) {
    for r in 0..<z.rows {
        var largest = -Double.infinity
        for c in 0..<z.columns { largest = max(largest, z[r, c]) }
        var sum = 0.0
        for c in 0..<z.columns {
            let e = exp(z[r, c] - largest)
            z[r, c] = e
            sum += e
        }
        for c in 0..<z.columns { z[r, c] /= sum }
    }
}

func argmaxRows(_ m: Matrix) -> [Int] {
    (0..<m.rows).map { r in
        var best = 0
        for c in 1..<max(m.columns, 1) where m[r, c] > m[r, best] { best = c }
        return best
    }
}

/// Mean log-loss of class probabilities, clipped so that it stays finite; unknown classes (-1) skipped.
func meanLogLoss(_ probabilities: Matrix, _ labels: [Int]) -> Double {
    var sum = 0.0
    var count = 0
    for (r, label) in labels.enumerated() where label >= 0 && label < probabilities.columns {
        sum -= log(min(max(probabilities[r, label], 1e-15), 1))
        count += 1
    }
    return count > 0 ? sum / Double(count) : 0
}

func accuracy(_ probabilities: Matrix, _ labels: [Int]) -> Double {
    guard !labels.isEmpty else { return 0 }
    let predicted = argmaxRows(probabilities)
    return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
}
