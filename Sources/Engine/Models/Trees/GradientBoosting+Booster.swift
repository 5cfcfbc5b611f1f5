import Foundation

extension GradientBoosting {
    /// The boosting loop's state: binned training data, raw scores, gradients and the trees so far,
    /// with the raw scores of the validation rows kept up to date tree by tree.
    struct Booster {
        let classes: ClassSet?
        let grower: HistogramGrower
        let rows: Int
        let outputs: Int
        let labels: [Int]
        let values: [Double]
        let baseline: [Double]
        /// Output-major: output `k`'s scores of all rows are contiguous, as are its gradients.
        var raw: [Double]
        /// Per output and row, (gradient, hessian, 1, 0), as the histograms sum them.
        var pairs: [SIMD4<Double>]
        /// Whether `pairs` and `loss` are those of the current `raw`.
        var fresh = false
        /// The mean training loss of the current `raw`, when `fresh`.
        var loss = 0.0
        var samples: [Int32]
        var scratch: HistogramGrower.Scratch
        var trees: [DecisionNodes] = []
        var gains: [Double]
        var validation: Validation?

        struct Validation {
            var x: Matrix
            var labels: [Int]
            var values: [Double]
            /// Row-major, rows × outputs, as `rawScores` gives them.
            var raw: [Double]
        }

        init(training: Dataset, classes: ClassSet?, options: Options) throws {
            let x = try training.numericFeatures(allowingMissing: true)
            let target = try training.requireTarget(for: "gradient boosting")
            rows = x.rows
            self.classes = classes
            let bins = FeatureBins(fitting: x, bins: options.bins)
            grower = HistogramGrower(
                bins: bins, data: bins.bin(x),
                options: HistogramGrower.Options(
                    leaves: options.leaves, depth: options.depth, minLeaf: options.minLeaf, l2: options.l2,
                    shrinkage: options.lr))
            var baseline: [Double]
            if let classes {
                labels = classes.indices(of: target)
                values = []
                var counts = [Double](repeating: 0, count: classes.count)
                for label in labels where label >= 0 { counts[label] += 1 }
                let total = Double(max(rows, 1))
                let shares = counts.map { min(max($0 / total, 1e-15), 1 - 1e-15) }
                baseline = classes.count == 2 ? [log(shares[1] / (1 - shares[1]))] : shares.map { log($0) }
            } else {
                labels = []
                values = target.values
                baseline = [values.reduce(0, +) / Double(max(rows, 1))]
            }
            self.baseline = baseline
            outputs = baseline.count
            let count = rows
            raw = (0..<(baseline.count * count)).map { baseline[$0 / max(count, 1)] }
            pairs = [SIMD4<Double>](repeating: .zero, count: baseline.count * count)
            samples = [Int32](repeating: 0, count: rows)
            scratch = HistogramGrower.Scratch(rows: rows)
            gains = [Double](repeating: 0, count: x.columns)
        }

        mutating func attachValidation(_ data: Dataset, target: Target) throws {
            let x = try data.numericFeatures(allowingMissing: true)
            let raw = (0..<(x.rows * outputs)).map { baseline[$0 % outputs] }
            validation = Validation(
                x: x, labels: classes?.indices(of: target) ?? [], values: classes == nil ? target.values : [], raw: raw)
        }

        /// One iteration: a tree per output on the current gradients. Whether any of them split.
        mutating func iterate() -> Bool {
            if !fresh { computeLossAndGradients() }
            fresh = false
            var grewSomething = false
            for output in 0..<outputs {
                for i in 0..<rows { samples[i] = Int32(i) }
                let offset = output * rows
                let grown = pairs.withUnsafeBufferPointer { p in
                    samples.withUnsafeMutableBufferPointer { s -> HistogramGrower.Grown? in
                        guard let p = p.baseAddress else { return nil }
                        return grower.grow(pairs: p + offset, samples: s, importances: &gains, scratch: &scratch)
                    }
                }
                guard let grown else { return false }
                for (node, range) in grown.leafRanges {
                    let value = grown.nodes.value[node]
                    for i in range { raw[offset + Int(samples[i])] += value }
                }
                grewSomething = grewSomething || grown.nodes.count > 1
                trees.append(grown.nodes)
                if var validation {
                    self.validation = nil
                    validation.add(grown.nodes, output: output, outputs: outputs)
                    self.validation = validation
                }
            }
            return grewSomething
        }

        /// Rows per chunk of the loss and gradient pass: the chunks, and so the order the loss is
        /// summed in, depend on the row count only, not on the threads.
        static let chunkRows = 1 << 14

        /// The loss's first and second derivatives with respect to each raw score, and the mean
        /// training loss (half the squared error, or the log loss), in one pass over the rows, in
        /// parallel by chunks.
        mutating func computeLossAndGradients() {
            let chunks = (rows + Self.chunkRows - 1) / Self.chunkRows
            var partial = [Double](repeating: 0, count: chunks)
            let rows = rows
            let outputs = outputs
            let regression = classes == nil
            raw.withUnsafeBufferPointer { raw in
                pairs.withUnsafeMutableBufferPointer { pairs in
                    partial.withUnsafeMutableBufferPointer { partial in
                        labels.withUnsafeBufferPointer { labels in
                            values.withUnsafeBufferPointer { values in
                                let job = LossJob(
                                    raw: raw, pairs: pairs, partial: partial, labels: labels, values: values,
                                    rows: rows, outputs: outputs, regression: regression)
                                ThreadBudget.concurrentPerform(iterations: chunks) { job.run($0) }
                            }
                        }
                    }
                }
            }
            loss = partial.reduce(0, +) / Double(max(rows, 1))
            fresh = true
        }

        /// The mean training loss after the last iteration; it also readies the next one's gradients.
        mutating func trainingLoss() -> Double {
            if !fresh { computeLossAndGradients() }
            return loss
        }

        /// val_loss first, with val_accuracy or val_rmse; empty without validation data.
        func validationScores() -> [(name: String, value: Double)] {
            guard let validation else { return [] }
            let raw = Matrix(rows: validation.x.rows, columns: outputs, values: validation.raw)
            if classes != nil {
                let probabilities = GradientBoosting.probabilities(raw)
                return [
                    ("val_loss", meanLogLoss(probabilities, validation.labels)),
                    ("val_accuracy", accuracy(probabilities, validation.labels)),
                ]
            }
            var squared = 0.0
            for (p, y) in zip(validation.raw, validation.values) { squared += (p - y) * (p - y) }
            let mse = squared / Double(max(validation.values.count, 1))
            return [("val_loss", mse / 2), ("val_rmse", mse.squareRoot())]
        }

        func model(featureNames: [String]) -> GradientBoosting {
            let total = gains.reduce(0, +)
            return GradientBoosting(
                featureNames: featureNames, classes: classes, baseline: baseline, trees: trees,
                importances: gains.map { total > 0 ? $0 / total : 0 })
        }
    }
}

extension GradientBoosting.Booster.Validation {
    /// Adds a new tree's leaf to every validation row's score for `output`.
    mutating func add(_ tree: DecisionNodes, output: Int, outputs: Int) {
        let width = x.columns
        let rows = x.rows
        x.values.withUnsafeBufferPointer { input in
            guard let base = input.baseAddress else { return }
            for row in 0..<rows { raw[row * outputs + output] += tree.output(base + row * width) }
        }
    }
}

/// One chunk of the loss and gradient pass.
private struct LossJob: @unchecked Sendable {
    // @unchecked: chunk `c` writes only its rows' pairs and `partial[c]`; the rest is read only, and
    // every buffer outlives the parallel loop.
    let raw: UnsafeBufferPointer<Double>
    let pairs: UnsafeMutableBufferPointer<SIMD4<Double>>
    let partial: UnsafeMutableBufferPointer<Double>
    let labels: UnsafeBufferPointer<Int>
    let values: UnsafeBufferPointer<Double>
    let rows: Int
    let outputs: Int
    let regression: Bool

    func run(_ chunk: Int) {
        let chunkRows = GradientBoosting.Booster.chunkRows
        let range = (chunk * chunkRows)..<min(rows, (chunk + 1) * chunkRows)
        var total = 0.0
        if regression {
            for i in range {
                let residual = raw[i] - values[i]
                pairs[i] = SIMD4(residual, 1, 1, 0)
                total += 0.5 * residual * residual
            }
        } else if outputs == 1 {
            for i in range {
                let z = raw[i]
                let positive = labels[i] == 1
                // The sigmoid and the log loss from one exponential, exp(−|z|).
                let e = exp(-abs(z))
                let p = z >= 0 ? 1 / (1 + e) : e / (1 + e)
                pairs[i] = SIMD4(p - (positive ? 1 : 0), p * (1 - p), 1, 0)
                total += max(z, 0) + log1p(e) - (positive ? z : 0)
            }
        } else {
            var exps = [Double](repeating: 0, count: outputs)
            for i in range {
                var largest = -Double.infinity
                for k in 0..<outputs { largest = max(largest, raw[k * rows + i]) }
                var sum = 0.0
                for k in 0..<outputs {
                    exps[k] = exp(raw[k * rows + i] - largest)
                    sum += exps[k]
                }
                let label = labels[i]
                for k in 0..<outputs {
                    let p = exps[k] / sum
                    pairs[k * rows + i] = SIMD4(p - (label == k ? 1 : 0), p * (1 - p), 1, 0)
                }
                total += largest + log(sum) - raw[max(label, 0) * rows + i]
            }
        }
        partial[chunk] = total
    }
}
