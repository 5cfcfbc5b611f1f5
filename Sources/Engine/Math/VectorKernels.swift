/// Elementwise loops of the training step in 8-wide SIMD, with a scalar tail. The order of every
/// reduction is fixed, so results do not depend on anything but the inputs.
enum VectorKernels {
    typealias Lanes = SIMD8<Float>

    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Float>, _ offset: Int) -> Lanes {
        UnsafeRawPointer(pointer + offset).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    static func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>, _ offset: Int) {
        UnsafeMutableRawPointer(pointer + offset).storeBytes(of: value, as: Lanes.self)
    }

    /// row[c] = max(row[c] + bias[c], 0) for `rows` rows of `width`.
    static func addBiasRelu(
        _ z: UnsafeMutablePointer<Float>, _ bias: UnsafeMutablePointer<Float>, rows: Int, width: Int
    ) {
        let wide = width - width % 8
        let zero = Lanes(repeating: 0)
        for r in 0..<rows {
            let row = z + r * width
            var c = 0
            while c < wide {
                let sum = load(row, c) + load(bias, c)
                store(sum.replacing(with: zero, where: sum .< zero), row, c)
                c += 8
            }
            while c < width {
                row[c] = max(row[c] + bias[c], 0)
                c += 1
            }
        }
    }

    /// row[c] += bias[c].
    static func addBias(_ z: UnsafeMutablePointer<Float>, _ bias: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let wide = width - width % 8
        for r in 0..<rows {
            let row = z + r * width
            var c = 0
            while c < wide {
                store(load(row, c) + load(bias, c), row, c)
                c += 8
            }
            while c < width {
                row[c] += bias[c]
                c += 1
            }
        }
    }

    /// delta[i] = 0 where activation[i] ≤ 0: the derivative of ReLU.
    static func reluMask(_ delta: UnsafeMutablePointer<Float>, _ activation: UnsafeMutablePointer<Float>, count: Int) {
        let wide = count - count % 8
        let zero = Lanes(repeating: 0)
        var i = 0
        while i < wide {
            store(load(delta, i).replacing(with: zero, where: load(activation, i) .<= zero), delta, i)
            i += 8
        }
        while i < count {
            if activation[i] <= 0 { delta[i] = 0 }
            i += 1
        }
    }

    /// gradient += decay · weights; returns Σ weights², the L2 term, before the update.
    static func addDecay(
        _ gradient: UnsafeMutablePointer<Float>, _ weights: UnsafeMutablePointer<Float>, decay: Float, count: Int
    ) -> Double {
        let wide = count - count % 8
        var squares = Lanes(repeating: 0)
        let factor = Lanes(repeating: decay)
        var i = 0
        while i < wide {
            let w = load(weights, i)
            squares += w * w
            store(load(gradient, i) + factor * w, gradient, i)
            i += 8
        }
        var total = Double(squares.sum())
        while i < count {
            total += Double(weights[i] * weights[i])
            gradient[i] += decay * weights[i]
            i += 1
        }
        return total
    }

    /// sums[c] = Σ over rows of matrix[r, c].
    static func columnSums(
        _ matrix: UnsafeMutablePointer<Float>, rows: Int, width: Int, into sums: UnsafeMutablePointer<Float>
    ) {
        sums.update(repeating: 0, count: width)
        let wide = width - width % 8
        for r in 0..<rows {
            let row = matrix + r * width
            var c = 0
            while c < wide {
                store(load(sums, c) + load(row, c), sums, c)
                c += 8
            }
            while c < width {
                sums[c] += row[c]
                c += 1
            }
        }
    }

    /// One Adam step with scikit-learn's constants; `rate` already holds the bias corrections.
    static func adam(
        _ parameters: UnsafeMutablePointer<Float>, _ gradient: UnsafeMutablePointer<Float>,
        _ first: UnsafeMutablePointer<Float>, _ second: UnsafeMutablePointer<Float>, count: Int, rate: Float
    ) {
        let wide = count - count % 8
        let beta1 = Lanes(repeating: 0.9)
        let beta1Complement = Lanes(repeating: 0.1)
        let beta2 = Lanes(repeating: 0.999)
        let beta2Complement = Lanes(repeating: 0.001)
        let epsilon = Lanes(repeating: 1e-8)
        let step = Lanes(repeating: rate)
        var i = 0
        while i < wide {
            let g = load(gradient, i)
            let m = beta1 * load(first, i) + beta1Complement * g
            let v = beta2 * load(second, i) + beta2Complement * g * g
            store(m, first, i)
            store(v, second, i)
            store(load(parameters, i) - step * m / (v.squareRoot() + epsilon), parameters, i)
            i += 8
        }
        while i < count {
            let g = gradient[i]
            first[i] = 0.9 * first[i] + 0.1 * g
            second[i] = 0.999 * second[i] + 0.001 * g * g
            parameters[i] -= rate * first[i] / (second[i].squareRoot() + 1e-8)
            i += 1
        }
    }
}
