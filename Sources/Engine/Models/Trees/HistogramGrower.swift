import Foundation

/// Grows one boosting tree leaf-wise on binned data, as scikit-learn's `TreeGrower` does: the leaf
/// whose best split gains most is split next, until `leaves` leaves, `depth`, `minLeaf` or a gain
/// of zero stop it.
///
/// Each node keeps a histogram of gradient and hessian sums per feature and bin; a split's smaller
/// child is summed from its rows and the larger one is the parent's histogram minus the smaller's
/// (in the parent's buffer). Features are summed in parallel, each into its own bins, so the tree is
/// the same at any thread count.
struct HistogramGrower {
    struct Options: Sendable, Hashable {
        var leaves = 31
        var depth: Int?
        var minLeaf = 20
        var l2 = 0.0
        /// The learning rate, applied to every leaf value.
        var shrinkage = 0.1
        /// scikit-learn's `min_hessian_to_split`.
        var minHessian = 1e-3
    }

    let bins: FeatureBins
    let data: BinnedFeatures
    let options: Options

    /// What one call of `grow` gives: the tree, and which rows (a range of the sample buffer) end
    /// in each leaf, so that the training scores are updated without walking the tree.
    struct Grown {
        var nodes: DecisionNodes
        var leafRanges: [(node: Int, range: Range<Int>)]
    }

    /// A candidate split of one node.
    struct Split {
        var feature: Int
        var bin: Int
        var missingLeft: Bool
        var gain: Double
        var left: Sums
        var right: Sums
    }

    struct Sums {
        var gradient = 0.0
        var hessian = 0.0
        /// Rows, exact as a Double (it is summed in the histograms with the gradients).
        var count = 0.0
    }

    /// A leaf that may still be split.
    private struct Candidate {
        var node: Int
        var range: Range<Int>
        var depth: Int
        var histogram: Histogram
        var split: Split
    }

    /// Grows a tree on the rows in `samples` (reordered in place: each leaf's rows end up
    /// contiguous), adding each split's gain to `importances[feature]`.
    /// `pairs[row]` is the row's (gradient, hessian, 1, 0); `scratch` is reused from tree to tree.
    func grow(
        pairs: UnsafePointer<SIMD4<Double>>, samples: UnsafeMutableBufferPointer<Int32>, importances: inout [Double],
        scratch: inout Scratch
    ) -> Grown {
        var nodes = DecisionNodes()
        var ranges: [Range<Int>] = []
        func addLeaf(_ sums: Sums, _ range: Range<Int>) -> Int {
            ranges.append(range)
            return nodes.addLeaf(leafValue(sums))
        }
        let all = 0..<samples.count
        var rootSums = Sums()
        for i in all {
            rootSums.gradient += pairs[Int(samples[i])][0]
            rootSums.hessian += pairs[Int(samples[i])][1]
        }
        rootSums.count = Double(samples.count)
        let root = addLeaf(rootSums, all)
        var candidates: [Candidate] = []
        var leafCount = 1
        if canSplit(rootSums, depth: 0) {
            var histogram = scratch.take(bins.histogramLength)
            build(all, samples, pairs, into: &histogram, &scratch)
            if let split = bestSplit(histogram, rootSums) {
                candidates.append(Candidate(node: root, range: all, depth: 0, histogram: histogram, split: split))
            } else {
                scratch.give(histogram)
            }
        }
        while leafCount < options.leaves,
            let best = candidates.indices.max(by: { a, b in
                let x = candidates[a]
                let y = candidates[b]
                return x.split.gain < y.split.gain || (x.split.gain == y.split.gain && x.node > y.node)
            })
        {
            var parent = candidates.remove(at: best)
            let split = parent.split
            let middle = partition(parent.range, split, samples, &scratch)
            let leftRange = parent.range.lowerBound..<middle
            let rightRange = middle..<parent.range.upperBound
            let left = addLeaf(split.left, leftRange)
            let right = addLeaf(split.right, rightRange)
            let cuts = bins.cuts[split.feature]
            nodes.split(
                parent.node, feature: split.feature, threshold: split.bin < cuts.count ? cuts[split.bin] : .infinity,
                missingLeft: split.missingLeft, left: left, right: right)
            importances[split.feature] += split.gain
            leafCount += 1
            let depth = parent.depth + 1
            let splitLeft = canSplit(split.left, depth: depth)
            let splitRight = canSplit(split.right, depth: depth)
            guard leafCount < options.leaves, splitLeft || splitRight else {
                scratch.give(parent.histogram)
                continue
            }
            // The smaller child is summed from its rows; the larger is the parent's minus it.
            let leftIsSmaller = split.left.count <= split.right.count
            let smallRange = leftIsSmaller ? leftRange : rightRange
            var small = scratch.take(bins.histogramLength)
            build(smallRange, samples, pairs, into: &small, &scratch)
            var large = parent.histogram
            parent.histogram = []
            if leftIsSmaller ? splitRight : splitLeft { subtract(small, from: &large) }
            let children = [
                (left, leftRange, split.left, splitLeft, leftIsSmaller ? small : large),
                (right, rightRange, split.right, splitRight, leftIsSmaller ? large : small),
            ]
            small = []
            large = []
            for (node, range, sums, splittable, histogram) in children {
                if splittable, let found = bestSplit(histogram, sums) {
                    candidates.append(
                        Candidate(node: node, range: range, depth: depth, histogram: histogram, split: found))
                } else {
                    scratch.give(histogram)
                }
            }
        }
        for candidate in candidates { scratch.give(candidate.histogram) }
        let leafRanges = (0..<nodes.count).filter { nodes.left[$0] < 0 }.map { (node: $0, range: ranges[$0]) }
        return Grown(nodes: nodes, leafRanges: leafRanges)
    }

    /// scikit-learn's leaf value: −lr · G / (H + l2), with its epsilon against an empty hessian.
    func leafValue(_ sums: Sums) -> Double {
        -options.shrinkage * sums.gradient / (sums.hessian + options.l2 + Double.ulpOfOne)
    }

    private func canSplit(_ sums: Sums, depth: Int) -> Bool {
        if let limit = options.depth, depth >= limit { return false }
        return sums.count >= Double(2 * options.minLeaf) && sums.hessian >= 2 * options.minHessian
    }

    /// The gain of cutting a node with sums `total` into `left` and `right` (without the ½ and the
    /// penalty γ that XGBoost writes, as scikit-learn computes it).
    @inline(__always)
    private func gain(_ left: Sums, _ right: Sums, parentScore: Double) -> Double {
        left.gradient * left.gradient / (left.hessian + options.l2) + right.gradient * right.gradient
            / (right.hessian + options.l2) - parentScore
    }

    @inline(__always)
    private func allowed(_ left: Sums, _ right: Sums, minLeaf: Double) -> Bool {
        left.count >= minLeaf && right.count >= minLeaf && left.hessian >= options.minHessian
            && right.hessian >= options.minHessian
    }

    /// The split with the largest positive gain over every feature and bin; of equal gains the first
    /// found wins: the lower feature, and within it the left-to-right scan (missing values right).
    func bestSplit(_ histogram: Histogram, _ total: Sums) -> Split? {
        let parentScore = total.gradient * total.gradient / (total.hessian + options.l2)
        let minLeaf = Double(options.minLeaf)
        var best: Split?
        histogram.withUnsafeBufferPointer { all in
            for feature in 0..<data.features {
                let bins = self.bins.binCount(feature)
                let start = self.bins.offsets[feature]
                let h = UnsafeBufferPointer(rebasing: all[start..<(start + bins + 1)])
                let missing = self.bins.hasMissing[feature]
                // Left to right, missing values with the right child; with missing values, the cut
                // after the last bin too (every present value left, every missing one right).
                var left = Sums()
                for bin in 0..<(missing ? bins : bins - 1) {
                    left.gradient += h[bin][0]
                    left.hessian += h[bin][1]
                    left.count += h[bin][2]
                    let right = Sums(
                        gradient: total.gradient - left.gradient, hessian: total.hessian - left.hessian,
                        count: total.count - left.count)
                    guard allowed(left, right, minLeaf: minLeaf) else { continue }
                    let value = gain(left, right, parentScore: parentScore)
                    if value > (best?.gain ?? 0) {
                        // Missing values never seen in training go where most rows went.
                        let goesLeft = missing ? false : left.count > right.count
                        best = Split(
                            feature: feature, bin: bin, missingLeft: goesLeft, gain: value, left: left, right: right)
                    }
                }
                guard missing else { continue }
                // Right to left, missing values with the left child.
                var right = Sums()
                for bin in stride(from: bins - 1, to: 0, by: -1) {
                    right.gradient += h[bin][0]
                    right.hessian += h[bin][1]
                    right.count += h[bin][2]
                    let left = Sums(
                        gradient: total.gradient - right.gradient, hessian: total.hessian - right.hessian,
                        count: total.count - right.count)
                    guard allowed(left, right, minLeaf: minLeaf) else { continue }
                    let value = gain(left, right, parentScore: parentScore)
                    if value > (best?.gain ?? 0) {
                        best = Split(
                            feature: feature, bin: bin - 1, missingLeft: true, gain: value, left: left, right: right)
                    }
                }
            }
        }
        return best
    }
}
