import Foundation

extension MultilayerPerceptron {
    /// The training loop's state: weights, gradients and optimizer moments in raw buffers, reused
    /// for every mini-batch so that an epoch allocates nothing.
    struct Trainer {
        private let storage: Storage
        let options: Options

        init(model: MultilayerPerceptron, x: [Float], rows: Int, labels: [Int], values: [Float], options: Options) {
            self.options = options
            storage = Storage(
                model: model, x: x, rows: rows, labels: labels, values: values, batch: min(options.batch, rows))
        }

        var layers: [Layer] { storage.currentLayers() }

        /// One pass over the data in a fresh order; returns scikit-learn's epoch loss.
        mutating func epoch(_ generator: inout SeededGenerator) -> Double {
            storage.epoch(&generator, options: options)
        }
    }

    /// Owns the buffers; a class so that they are freed once, when training ends.
    final class Storage {
        let rows: Int
        let batch: Int
        let features: Int
        let sizes: [Int]
        let classifier: Bool
        let activation: Activation
        let x: UnsafeMutablePointer<Float>
        let labels: [Int]
        let values: [Float]
        var order: [Int]
        let input: UnsafeMutablePointer<Float>
        var weights: [UnsafeMutablePointer<Float>] = []
        var biases: [UnsafeMutablePointer<Float>] = []
        var weightGradients: [UnsafeMutablePointer<Float>] = []
        var biasGradients: [UnsafeMutablePointer<Float>] = []
        var moments: [UnsafeMutablePointer<Float>] = []
        var secondMoments: [UnsafeMutablePointer<Float>] = []
        /// Activations of each layer's output and the loss's derivative with respect to them.
        var activations: [UnsafeMutablePointer<Float>] = []
        var deltas: [UnsafeMutablePointer<Float>] = []
        var step = 0
        private var allocations: [UnsafeMutablePointer<Float>] = []

        init(model: MultilayerPerceptron, x source: [Float], rows: Int, labels: [Int], values: [Float], batch: Int) {
            self.rows = rows
            self.batch = max(batch, 1)
            self.features = model.layers.first?.inputs ?? 0
            self.sizes = [features] + model.layers.map(\.outputs)
            self.classifier = model.isClassifier
            self.activation = model.activation
            self.labels = labels
            self.values = values
            self.order = Array(0..<rows)
            x = .allocate(capacity: max(source.count, 1))
            x.initialize(from: source, count: source.count)
            input = .allocate(capacity: self.batch * features)
            for layer in model.layers {
                let count = layer.inputs * layer.outputs
                weights.append(allocate(count, from: layer.weights))
                biases.append(allocate(layer.outputs, from: layer.biases))
                weightGradients.append(allocate(count))
                biasGradients.append(allocate(layer.outputs))
                moments.append(allocate(count + layer.outputs))
                secondMoments.append(allocate(count + layer.outputs))
                activations.append(allocate(self.batch * layer.outputs))
                deltas.append(allocate(self.batch * layer.outputs))
            }
        }

        deinit {
            x.deallocate()
            input.deallocate()
            for pointer in allocations { pointer.deallocate() }
        }

        private func allocate(_ count: Int, from values: [Float]? = nil) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            if let values {
                pointer.initialize(from: values, count: count)
            } else {
                pointer.initialize(repeating: 0, count: max(count, 1))
            }
            allocations.append(pointer)
            return pointer
        }

        func currentLayers() -> [Layer] {
            (0..<weights.count).map { l in
                Layer(
                    inputs: sizes[l], outputs: sizes[l + 1],
                    weights: Array(UnsafeBufferPointer(start: weights[l], count: sizes[l] * sizes[l + 1])),
                    biases: Array(UnsafeBufferPointer(start: biases[l], count: sizes[l + 1])))
            }
        }

        func epoch(_ generator: inout SeededGenerator, options: Options) -> Double {
            generator.shuffle(&order)
            var accumulated = 0.0
            var start = 0
            while start < rows {
                let count = min(batch, rows - start)
                accumulated += trainBatch(start: start, count: count, options: options) * Double(count)
                start += count
            }
            return accumulated / Double(rows)
        }

        /// Forward, backward and one optimizer step on rows `order[start ..< start + count]`;
        /// returns the batch's loss with its L2 term.
        private func trainBatch(start: Int, count: Int, options: Options) -> Double {
            for i in 0..<count {
                (input + i * features).update(from: x + order[start + i] * features, count: features)
            }
            let layerCount = weights.count
            // Forward.
            for l in 0..<layerCount {
                let previous = l == 0 ? UnsafePointer(input) : UnsafePointer(activations[l - 1])
                let outputs = sizes[l + 1]
                BLAS.gemm(
                    transposeA: false, transposeB: false, m: count, n: outputs, k: sizes[l], alpha: 1,
                    a: previous, lda: sizes[l], b: weights[l], ldb: outputs, beta: 0, c: activations[l], ldc: outputs)
                let z = activations[l]
                if l == layerCount - 1 {
                    VectorKernels.addBias(z, biases[l], rows: count, width: outputs)
                } else if activation == .relu {
                    VectorKernels.addBiasRelu(z, biases[l], rows: count, width: outputs)
                } else {
                    VectorKernels.addBias(z, biases[l], rows: count, width: outputs)
                    for i in 0..<(count * outputs) { z[i] = tanhf(z[i]) }
                }
            }
            // Loss and its derivative at the output, averaged over the batch.
            let last = layerCount - 1
            let outputs = sizes[layerCount]
            let out = activations[last]
            let delta = deltas[last]
            let scale = 1 / Float(count)
            var loss = 0.0
            for r in 0..<count {
                let row = out + r * outputs
                let d = delta + r * outputs
                if classifier {
                    var largest = -Float.infinity
                    for c in 0..<outputs { largest = max(largest, row[c]) }
                    var sum: Float = 0
                    for c in 0..<outputs {
                        let e = expf(row[c] - largest)
                        row[c] = e
                        sum += e
                    }
                    let label = labels[order[start + r]]
                    for c in 0..<outputs {
                        let probability = row[c] / sum
                        d[c] = (probability - (c == label ? 1 : 0)) * scale
                        if c == label { loss -= Double(logf(max(probability, 1e-7))) }
                    }
                } else {
                    let difference = row[0] - values[order[start + r]]
                    d[0] = difference * scale
                    loss += 0.5 * Double(difference * difference)
                }
            }
            // Backward.
            let decay = Float(options.alpha) * scale
            var penalty = 0.0
            for l in stride(from: last, through: 0, by: -1) {
                let inputs = sizes[l]
                let outputs = sizes[l + 1]
                let previous = l == 0 ? UnsafePointer(input) : UnsafePointer(activations[l - 1])
                BLAS.gemm(
                    transposeA: true, transposeB: false, m: inputs, n: outputs, k: count, alpha: 1,
                    a: previous, lda: inputs, b: deltas[l], ldb: outputs, beta: 0, c: weightGradients[l], ldc: outputs)
                let w = weights[l]
                penalty += VectorKernels.addDecay(weightGradients[l], w, decay: decay, count: inputs * outputs)
                let d = deltas[l]
                VectorKernels.columnSums(d, rows: count, width: outputs, into: biasGradients[l])
                if l > 0 {
                    let below = deltas[l - 1]
                    BLAS.gemm(
                        transposeA: false, transposeB: true, m: count, n: inputs, k: outputs, alpha: 1,
                        a: d, lda: outputs, b: w, ldb: outputs, beta: 0, c: below, ldc: inputs)
                    let a = activations[l - 1]
                    if activation == .relu {
                        VectorKernels.reluMask(below, a, count: count * inputs)
                    } else {
                        for i in 0..<(count * inputs) { below[i] *= 1 - a[i] * a[i] }
                    }
                }
            }
            update(options)
            return loss / Double(count) + 0.5 * options.alpha * penalty / Double(count)
        }

        private func update(_ options: Options) {
            step += 1
            let lr = Float(options.lr)
            if options.optimizer == "sgd" {
                let momentum: Float = 0.9
                for l in 0..<weights.count {
                    let count = sizes[l] * sizes[l + 1]
                    sgd(weights[l], weightGradients[l], moments[l], count, lr, momentum)
                    sgd(biases[l], biasGradients[l], moments[l] + count, sizes[l + 1], lr, momentum)
                }
                return
            }
            let beta1 = 0.9
            let beta2 = 0.999
            let corrected = Float(
                options.lr * (1 - pow(beta2, Double(step))).squareRoot() / (1 - pow(beta1, Double(step))))
            for l in 0..<weights.count {
                let count = sizes[l] * sizes[l + 1]
                VectorKernels.adam(
                    weights[l], weightGradients[l], moments[l], secondMoments[l], count: count, rate: corrected)
                VectorKernels.adam(
                    biases[l], biasGradients[l], moments[l] + count, secondMoments[l] + count, count: sizes[l + 1],
                    rate: corrected)
            }
        }

        @inline(__always)
        private func sgd(
            _ p: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>, _ velocity: UnsafeMutablePointer<Float>,
            _ count: Int, _ lr: Float, _ momentum: Float
        ) {
            for i in 0..<count {
                velocity[i] = momentum * velocity[i] - lr * g[i]
                p[i] += momentum * velocity[i] - lr * g[i]
            }
        }
    }
}
