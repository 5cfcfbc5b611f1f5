import Foundation

/// Grows one CART tree depth-first with exact thresholds, as scikit-learn's DecisionTree with the
/// `best` splitter: at each node every candidate feature's values are sorted and every cut between
/// two distinct values is scored by the impurity decrease (gini, entropy or squared error).
struct TreeBuilder {
    enum Criterion: String, Sendable, Hashable {
        case gini, entropy
        case squaredError = "squared_error"
    }

    struct Options: Sendable, Hashable {
        var criterion = Criterion.gini
        var depth: Int?
        var minLeaf = 1
        /// Features drawn at each node (all of them for a single tree).
        var features: Int
    }

    /// Row-major features, and per row a class index (classification) or a value (regression).
    let x: UnsafePointer<Double>
    let width: Int
    let labels: [Int]
    let values: [Double]
    /// Classes, or 1 for regression: the width of each leaf's output.
    let outputs: Int
    let options: Options

    struct Grown {
        var nodes: DecisionNodes
        /// Per node, `outputs` values: class shares, or the mean.
        var leafOutputs: [Double]
    }

    /// A tree on the rows `rows` (repeats allowed, as a bootstrap sample has), adding each split's
    /// weighted impurity decrease to `importances`.
    func grow(rows: [Int], generator: inout SeededGenerator, importances: inout [Double]) -> Grown {
        var nodes = DecisionNodes()
        var leafOutputs: [Double] = []
        var order = rows
        let total = Double(max(rows.count, 1))
        var stack: [(node: Int, range: Range<Int>, depth: Int)] = []
        leafOutputs += output(order[...])
        stack.append((nodes.addLeaf(0), 0..<order.count, 0))
        var candidates = Array(0..<width)
        while let (node, range, depth) = stack.popLast() {
            let count = range.count
            if let limit = options.depth, depth >= limit { continue }
            guard count >= max(2, 2 * options.minLeaf) else { continue }
            let parentImpurity = impurity(order[range])
            guard parentImpurity > 1e-12 else { continue }
            // scikit-learn visits features in a random order, keeps the first of equal gains, and does
            // not count a feature constant in the node among the `features` it tries.
            generator.shuffle(&candidates)
            var best: (feature: Int, threshold: Double, position: Int, score: Double)?
            var sorted: [(Double, Int)] = []
            var tried = 0
            for feature in candidates where tried < options.features {
                sorted = order[range].map { (x[$0 * width + feature], $0) }
                sorted.sort { $0.0 < $1.0 }
                guard let first = sorted.first, let last = sorted.last, first.0 < last.0 else { continue }
                tried += 1
                if let found = bestCut(sorted, parentImpurity: parentImpurity),
                    found.score > (best?.score ?? 1e-12)
                {
                    best = (feature, found.threshold, found.position, found.score)
                }
            }
            guard let best else { continue }
            var left: [Int] = []
            var right: [Int] = []
            for row in order[range] {
                if x[row * width + best.feature] <= best.threshold { left.append(row) } else { right.append(row) }
            }
            order.replaceSubrange(range, with: left + right)
            let middle = range.lowerBound + left.count
            importances[best.feature] += Double(count) / total * best.score
            leafOutputs += output(order[range.lowerBound..<middle])
            let l = nodes.addLeaf(0)
            leafOutputs += output(order[middle..<range.upperBound])
            let r = nodes.addLeaf(0)
            nodes.split(node, feature: best.feature, threshold: best.threshold, missingLeft: false, left: l, right: r)
            stack.append((r, middle..<range.upperBound, depth + 1))
            stack.append((l, range.lowerBound..<middle, depth + 1))
        }
        return Grown(nodes: nodes, leafOutputs: leafOutputs)
    }

    /// Class shares, or the mean value, of some rows.
    private func output(_ rows: ArraySlice<Int>) -> [Double] {
        let n = Double(max(rows.count, 1))
        if outputs == 1, labels.isEmpty { return [rows.reduce(0) { $0 + values[$1] } / n] }
        var counts = [Double](repeating: 0, count: outputs)
        for row in rows { counts[labels[row]] += 1 }
        return counts.map { $0 / n }
    }

    private func impurity(_ rows: ArraySlice<Int>) -> Double {
        if labels.isEmpty {
            let n = Double(rows.count)
            let mean = rows.reduce(0) { $0 + values[$1] } / n
            return rows.reduce(0) { $0 + (values[$1] - mean) * (values[$1] - mean) } / n
        }
        var counts = [Double](repeating: 0, count: outputs)
        for row in rows { counts[labels[row]] += 1 }
        return classImpurity(counts, Double(rows.count))
    }

    private func classImpurity(_ counts: [Double], _ n: Double) -> Double {
        guard n > 0 else { return 0 }
        if options.criterion == .entropy {
            return counts.reduce(0) { sum, c in c > 0 ? sum - c / n * log2(c / n) : sum }
        }
        return 1 - counts.reduce(0) { $0 + ($1 / n) * ($1 / n) }
    }

    /// The cut of sorted `(value, row)` pairs that lowers impurity most, with `min_leaf` rows each side;
    /// its score is the parent's impurity minus the children's, weighted by their shares.
    private func bestCut(_ sorted: [(Double, Int)], parentImpurity: Double) -> (
        threshold: Double, position: Int, score: Double
    )? {
        let n = sorted.count
        let total = Double(n)
        var best: (threshold: Double, position: Int, score: Double)?
        if labels.isEmpty {
            var leftSum = 0.0
            var leftSquares = 0.0
            let sum = sorted.reduce(0) { $0 + values[$1.1] }
            let squares = sorted.reduce(0) { $0 + values[$1.1] * values[$1.1] }
            for i in 0..<(n - 1) {
                let y = values[sorted[i].1]
                leftSum += y
                leftSquares += y * y
                guard sorted[i].0 < sorted[i + 1].0, i + 1 >= options.minLeaf, n - i - 1 >= options.minLeaf else {
                    continue
                }
                let nl = Double(i + 1)
                let nr = total - nl
                let leftError = leftSquares - leftSum * leftSum / nl
                let rightError = (squares - leftSquares) - (sum - leftSum) * (sum - leftSum) / nr
                let score = parentImpurity - (leftError + rightError) / total
                if score > (best?.score ?? -Double.infinity) {
                    best = (threshold(sorted[i].0, sorted[i + 1].0), i + 1, score)
                }
            }
            return best
        }
        var left = [Double](repeating: 0, count: outputs)
        var right = [Double](repeating: 0, count: outputs)
        for pair in sorted { right[labels[pair.1]] += 1 }
        for i in 0..<(n - 1) {
            let label = labels[sorted[i].1]
            left[label] += 1
            right[label] -= 1
            guard sorted[i].0 < sorted[i + 1].0, i + 1 >= options.minLeaf, n - i - 1 >= options.minLeaf else {
                continue
            }
            let nl = Double(i + 1)
            let nr = total - nl
            let score = parentImpurity - (nl * classImpurity(left, nl) + nr * classImpurity(right, nr)) / total
            if score > (best?.score ?? -Double.infinity) {
                best = (threshold(sorted[i].0, sorted[i + 1].0), i + 1, score)
            }
        }
        return best
    }

    /// The midpoint, or the lower value where the midpoint rounds up to the higher one.
    private func threshold(_ low: Double, _ high: Double) -> Double {
        let middle = low / 2 + high / 2
        return middle >= high || middle.isInfinite ? low : middle
    }
}
