/// Limited-memory BFGS for smooth convex objectives, with a backtracking Armijo line search.
/// Stops as scipy's L-BFGS-B does for scikit-learn: the largest gradient component at most
/// `gradientTolerance`, or a relative decrease of the objective below `functionTolerance`.
struct LBFGS {
    var memory = 10
    var maximumIterations = 100
    var gradientTolerance = 1e-4
    var functionTolerance = 64 * Double.ulpOfOne

    struct Outcome {
        var parameters: [Double]
        var value: Double
        var iterations: Int
    }

    /// Minimises `objective`, which returns the value and writes the gradient.
    /// `onIteration` sees each accepted iterate, for recording series.
    func minimize(
        from start: [Double], objective: ([Double], inout [Double]) -> Double,
        onIteration: (Int, [Double], Double) -> Void = { _, _, _ in }
    ) -> Outcome {
        let n = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: n)
        var value = objective(x, &gradient)
        var steps: [[Double]] = []
        var changes: [[Double]] = []
        var rhos: [Double] = []
        var iteration = 0
        var candidate = [Double](repeating: 0, count: n)
        var candidateGradient = [Double](repeating: 0, count: n)
        while iteration < maximumIterations {
            if gradient.reduce(0, { max($0, abs($1)) }) <= gradientTolerance { break }
            // Two-loop recursion for the search direction.
            var q = gradient
            var alphas = [Double](repeating: 0, count: steps.count)
            for i in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[i] = rhos[i] * dot(steps[i], q)
                axpy(-alphas[i], changes[i], &q)
            }
            if let s = steps.last, let y = changes.last {
                let scale = dot(s, y) / dot(y, y)
                for i in 0..<n { q[i] *= scale }
            } else {
                let norm = dot(gradient, gradient).squareRoot()
                if norm > 0 { for i in 0..<n { q[i] /= norm } }
            }
            for i in 0..<steps.count {
                let beta = rhos[i] * dot(changes[i], q)
                axpy(alphas[i] - beta, steps[i], &q)
            }
            var slope = -dot(gradient, q)
            if slope >= 0 {
                // Not a descent direction: fall back to steepest descent and forget the history.
                q = gradient
                slope = -dot(gradient, gradient)
                steps.removeAll()
                changes.removeAll()
                rhos.removeAll()
            }
            var step = 1.0
            var newValue = value
            var accepted = false
            for _ in 0..<50 {
                for i in 0..<n { candidate[i] = x[i] - step * q[i] }
                newValue = objective(candidate, &candidateGradient)
                if newValue.isFinite, newValue <= value + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                step *= 0.5
            }
            guard accepted else { break }
            var s = [Double](repeating: 0, count: n)
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                s[i] = candidate[i] - x[i]
                y[i] = candidateGradient[i] - gradient[i]
            }
            let curvature = dot(s, y)
            if curvature > 1e-10 {
                if steps.count == memory {
                    steps.removeFirst()
                    changes.removeFirst()
                    rhos.removeFirst()
                }
                steps.append(s)
                changes.append(y)
                rhos.append(1 / curvature)
            }
            let decrease = (value - newValue) / max(abs(value), abs(newValue), 1)
            x = candidate
            gradient = candidateGradient
            value = newValue
            iteration += 1
            onIteration(iteration, x, value)
            if decrease <= functionTolerance { break }
        }
        return Outcome(parameters: x, value: value, iterations: iteration)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<a.count { sum += a[i] * b[i] }
        return sum
    }

    private func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        for i in 0..<x.count { y[i] += alpha * x[i] }
    }
}
