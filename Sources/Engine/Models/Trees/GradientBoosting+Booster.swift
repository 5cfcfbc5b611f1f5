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
        var gradients: [Double]
        var hessians: [Double]
        var samples: [Int32]
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
            gradients = [Double](repeating: 0, count: baseline.count * count)
            hessians = [Double](repeating: 0, count: baseline.count * count)
            samples = [Int32](repeating: 0, count: rows)
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
            computeGradients()
            var grewSomething = false
            for output in 0..<outputs {
                for i in 0..<rows { samples[i] = Int32(i) }
                let offset = output * rows
                let grown = gradients.withUnsafeBufferPointer { g in
                    hessians.withUnsafeBufferPointer { h in
                        samples.withUnsafeMutableBufferPointer { s -> HistogramGrower.Grown? in
                            guard let g = g.baseAddress, let h = h.baseAddress else { return nil }
                            return grower.grow(
                                gradients: g + offset, hessians: h + offset, samples: s, importances: &gains)
                        }
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

        /// The loss's first and second derivatives with respect to each raw score.
        private mutating func computeGradients() {
            if classes == nil {
                for i in 0..<rows {
                    gradients[i] = raw[i] - values[i]
                    hessians[i] = 1
                }
            } else if outputs == 1 {
                for i in 0..<rows {
                    let p = sigmoid(raw[i])
                    gradients[i] = p - (labels[i] == 1 ? 1 : 0)
                    hessians[i] = p * (1 - p)
                }
            } else {
                var exps = [Double](repeating: 0, count: outputs)
                for i in 0..<rows {
                    var largest = -Double.infinity
                    for k in 0..<outputs { largest = max(largest, raw[k * rows + i]) }
                    var sum = 0.0
                    for k in 0..<outputs {
                        exps[k] = exp(raw[k * rows + i] - largest)
                        sum += exps[k]
                    }
                    for k in 0..<outputs {
                        let p = exps[k] / sum
                        gradients[k * rows + i] = p - (labels[i] == k ? 1 : 0)
                        hessians[k * rows + i] = p * (1 - p)
                    }
                }
            }
        }

        /// The mean training loss: half the squared error, or the log loss.
        func trainingLoss() -> Double {
            var total = 0.0
            if classes == nil {
                for i in 0..<rows { total += 0.5 * (raw[i] - values[i]) * (raw[i] - values[i]) }
            } else if outputs == 1 {
                for i in 0..<rows {
                    let z = raw[i]
                    total += max(z, 0) + log1p(exp(-abs(z))) - (labels[i] == 1 ? z : 0)
                }
            } else {
                for i in 0..<rows {
                    var largest = -Double.infinity
                    for k in 0..<outputs { largest = max(largest, raw[k * rows + i]) }
                    var sum = 0.0
                    for k in 0..<outputs { sum += exp(raw[k * rows + i] - largest) }
                    let label = max(labels[i], 0)
                    total += largest + log(sum) - raw[label * rows + i]
                }
            }
            return total / Double(max(rows, 1))
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
