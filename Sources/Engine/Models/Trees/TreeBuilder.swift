import Foundation

/// Grows one CART tree depth-first with exact thresholds, as scikit-learn's DecisionTree with the
/// `best` splitter: at each node every candidate feature's rows are ordered by value and every cut
/// between two distinct values is scored by the impurity decrease (gini, entropy or squared error).
///
/// The values are ranked once per fit (`FeatureRanks`, shared by every tree): a node orders its
/// rows by counting them per rank when the feature has no more distinct values than the node has
/// rows, and otherwise by sorting (rank, row) packed in one integer; buffers are reused from node
/// to node.
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
    let ranks: FeatureRanks
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

    /// Buffers of one tree, reused by each of its nodes.
    private struct Scratch {
        var keys: [UInt64]
        /// The radix sort's second buffer.
        var spare: [UInt64]
        var other: [Int]
        /// Per rank: class counts (classification) or count, sum and sum of squares (regression).
        var perRank: [Double]
        var counts: [Double]
        var left: [Double]
        var right: [Double]
    }

    /// A tree on the rows `rows` (repeats allowed, as a bootstrap sample has), adding each split's
    /// weighted impurity decrease to `importances`.
    func grow(rows: [Int], generator: inout SeededGenerator, importances: inout [Double]) -> Grown {
        var nodes = DecisionNodes()
        var leafOutputs: [Double] = []
        var order = rows
        let total = Double(max(rows.count, 1))
        let classifier = !labels.isEmpty
        let statWidth = classifier ? outputs : 3
        var scratch = Scratch(
            keys: [UInt64](repeating: 0, count: rows.count), spare: [UInt64](repeating: 0, count: rows.count),
            other: [Int](repeating: 0, count: rows.count),
            perRank: [Double](repeating: 0, count: min(ranks.largest, rows.count) * statWidth),
            counts: [Double](repeating: 0, count: outputs), left: [Double](repeating: 0, count: outputs),
            right: [Double](repeating: 0, count: outputs))
        var stack: [(node: Int, range: Range<Int>, depth: Int)] = []
        func addNode() -> Int {
            leafOutputs += repeatElement(0, count: outputs)
            return nodes.addLeaf(0)
        }
        stack.append((addNode(), 0..<order.count, 0))
        var candidates = Array(0..<width)
        while let (node, range, depth) = stack.popLast() {
            let count = range.count
            // The node's class counts (or sum and sum of squares): its output, and its impurity.
            let parentImpurity = summarise(order, range, node: node, &leafOutputs, &scratch)
            if let limit = options.depth, depth >= limit { continue }
            guard count >= max(2, 2 * options.minLeaf) else { continue }
            guard parentImpurity > 1e-12 else { continue }
            // scikit-learn visits features in a random order, keeps the first of equal gains, and does
            // not count a feature constant in the node among the `features` it tries.
            generator.shuffle(&candidates)
            var best: (feature: Int, threshold: Double, score: Double)?
            var tried = 0
            for feature in candidates where tried < options.features {
                guard let found = bestCut(feature, order, range, parentImpurity: parentImpurity, &scratch) else {
                    continue
                }
                tried += 1
                if let cut = found, cut.score > (best?.score ?? 1e-12) {
                    best = (feature, cut.threshold, cut.score)
                }
            }
            guard let best else { continue }
            // A stable partition: left rows in place, right rows through `other`.
            var next = range.lowerBound
            var rightCount = 0
            for i in range {
                let row = order[i]
                if x[row * width + best.feature] <= best.threshold {
                    order[next] = row
                    next += 1
                } else {
                    scratch.other[rightCount] = row
                    rightCount += 1
                }
            }
            for i in 0..<rightCount { order[next + i] = scratch.other[i] }
            let middle = next
            importances[best.feature] += Double(count) / total * best.score
            let l = addNode()
            let r = addNode()
            nodes.split(node, feature: best.feature, threshold: best.threshold, missingLeft: false, left: l, right: r)
            stack.append((r, middle..<range.upperBound, depth + 1))
            stack.append((l, range.lowerBound..<middle, depth + 1))
        }
        return Grown(nodes: nodes, leafOutputs: leafOutputs)
    }

    /// Writes the node's output (class shares, or the mean) and returns its impurity; leaves the
    /// node's class counts in `scratch.counts`.
    private func summarise(
        _ order: [Int], _ range: Range<Int>, node: Int, _ leafOutputs: inout [Double], _ scratch: inout Scratch
    ) -> Double {
        let n = Double(max(range.count, 1))
        if labels.isEmpty {
            var sum = 0.0
            for i in range { sum += values[order[i]] }
            let mean = sum / n
            var squares = 0.0
            for i in range { squares += (values[order[i]] - mean) * (values[order[i]] - mean) }
            leafOutputs[node] = mean
            return squares / n
        }
        for k in 0..<outputs { scratch.counts[k] = 0 }
        for i in range { scratch.counts[labels[order[i]]] += 1 }
        for k in 0..<outputs { leafOutputs[node * outputs + k] = scratch.counts[k] / n }
        return classImpurity(scratch.counts, Double(range.count))
    }

    @inline(__always)
    private func classImpurity(_ counts: [Double], _ n: Double) -> Double {
        guard n > 0 else { return 0 }
        var sum = 0.0
        if options.criterion == .entropy {
            for c in counts where c > 0 { sum -= c / n * log2(c / n) }
            return sum
        }
        for c in counts { sum += (c / n) * (c / n) }
        return 1 - sum
    }

    /// The cut of one feature that lowers impurity most, with `min_leaf` rows each side: nil when
    /// the feature is constant in the node, `.some(nil)` when no cut is allowed. Its score is the
    /// parent's impurity minus the children's, weighted by their shares. The node's class counts are
    /// in `scratch.counts`.
    private func bestCut(
        _ feature: Int, _ order: [Int], _ range: Range<Int>, parentImpurity: Double, _ scratch: inout Scratch
    ) -> (threshold: Double, score: Double)?? {
        let n = range.count
        let total = Double(n)
        let distinct = ranks.distinct[feature]
        let featureRanks = ranks.ranks + feature * ranks.rows
        let minLeaf = Double(options.minLeaf)
        let classifier = !labels.isEmpty
        var best: (threshold: Double, score: Double)?
        // Regression's running sums (count, sum, squares) and its node's sums.
        var leftCount = 0.0
        var leftSum = 0.0
        var leftSquares = 0.0
        var sum = 0.0
        var squares = 0.0
        if !classifier {
            for i in range {
                let y = values[order[i]]
                sum += y
                squares += y * y
            }
        } else {
            for k in 0..<outputs { scratch.left[k] = 0 }
        }
        // The cut between rank `low` (the last on the left) and rank `high`, the left side's sums so far.
        func consider(_ low: Int32, _ high: Int32, _ scratch: inout Scratch) {
            let nl = leftCount
            let nr = total - nl
            guard nl >= minLeaf, nr >= minLeaf else { return }
            let score: Double
            if classifier {
                for k in 0..<outputs { scratch.right[k] = scratch.counts[k] - scratch.left[k] }
                score =
                    parentImpurity
                    - (nl * classImpurity(scratch.left, nl) + nr * classImpurity(scratch.right, nr)) / total
            } else {
                let leftError = leftSquares - leftSum * leftSum / nl
                let rightError = (squares - leftSquares) - (sum - leftSum) * (sum - leftSum) / nr
                score = parentImpurity - (leftError + rightError) / total
            }
            if score > (best?.score ?? -Double.infinity) {
                best = (threshold(distinct[Int(low)], distinct[Int(high)]), score)
            }
        }
        if distinct.count <= n {
            // Counting by rank: the rows' sums per distinct value, then one pass over the values.
            let statWidth = classifier ? outputs : 3
            let used = distinct.count * statWidth
            for i in 0..<used { scratch.perRank[i] = 0 }
            for i in range {
                let row = order[i]
                let base = Int(featureRanks[row]) * statWidth
                if classifier {
                    scratch.perRank[base + labels[row]] += 1
                } else {
                    let y = values[row]
                    scratch.perRank[base] += 1
                    scratch.perRank[base + 1] += y
                    scratch.perRank[base + 2] += y * y
                }
            }
            var previous: Int32 = -1
            var groups = 0
            for rank in 0..<distinct.count {
                let base = rank * statWidth
                var rows = 0.0
                if classifier {
                    for k in 0..<outputs { rows += scratch.perRank[base + k] }
                } else {
                    rows = scratch.perRank[base]
                }
                guard rows > 0 else { continue }
                groups += 1
                if previous >= 0 { consider(previous, Int32(rank), &scratch) }
                leftCount += rows
                if classifier {
                    for k in 0..<outputs { scratch.left[k] += scratch.perRank[base + k] }
                } else {
                    leftSum += scratch.perRank[base + 1]
                    leftSquares += scratch.perRank[base + 2]
                }
                previous = Int32(rank)
            }
            guard groups >= 2 else { return nil }
            return .some(best)
        }
        // Sorting (rank, row) pairs packed in one integer.
        var count = 0
        for i in range {
            let row = order[i]
            scratch.keys[count] = UInt64(UInt32(bitPattern: featureRanks[row])) << 32 | UInt64(row)
            count += 1
        }
        let (rowBits, rankBits) = (RadixSort.bits(below: ranks.rows), RadixSort.bits(below: distinct.count))
        scratch.keys.withUnsafeMutableBufferPointer { keys in
            scratch.spare.withUnsafeMutableBufferPointer { spare in
                guard let keys = keys.baseAddress, let spare = spare.baseAddress else { return }
                RadixSort.sort(keys, count: count, spare: spare, rowBits: rowBits, rankBits: rankBits)
            }
        }
        guard scratch.keys[0] >> 32 != scratch.keys[count - 1] >> 32 else { return nil }
        var previous: Int32 = -1
        for j in 0..<count {
            let key = scratch.keys[j]
            let rank = Int32(truncatingIfNeeded: key >> 32)
            let row = Int(truncatingIfNeeded: key & 0xFFFF_FFFF)
            if previous >= 0, rank != previous { consider(previous, rank, &scratch) }
            leftCount += 1
            if classifier {
                scratch.left[labels[row]] += 1
            } else {
                let y = values[row]
                leftSum += y
                leftSquares += y * y
            }
            previous = rank
        }
        return .some(best)
    }

    /// The midpoint, or the lower value where the midpoint rounds up to the higher one.
    private func threshold(_ low: Double, _ high: Double) -> Double {
        let middle = low / 2 + high / 2
        return middle >= high || middle.isInfinite ? low : middle
    }
}

/// Each feature's distinct values in ascending order and each row's rank among them, computed once
/// per fit and read by every tree.
struct FeatureRanks: @unchecked Sendable {
    // @unchecked: `ranks` points into a buffer the fit keeps alive and nobody writes while trees grow.
    /// Feature-major: `rows` ranks per feature.
    let ranks: UnsafePointer<Int32>
    let rows: Int
    let distinct: [[Double]]
    /// The most distinct values of any feature.
    var largest: Int { distinct.map(\.count).max() ?? 0 }

    /// The ranks of `x`'s columns (no NaN) into `storage` (`x.rows × x.columns` long).
    static func rank(_ x: Matrix, into storage: UnsafeMutableBufferPointer<Int32>) -> [[Double]] {
        var distinct: [[Double]] = []
        let rows = x.rows
        for feature in 0..<x.columns {
            let column = x.column(feature)
            let order = column.indices.sorted { column[$0] < column[$1] }
            var values: [Double] = []
            for index in order {
                if values.last != column[index] { values.append(column[index]) }
                storage[feature * rows + index] = Int32(values.count - 1)
            }
            distinct.append(values)
        }
        return distinct
    }
}
