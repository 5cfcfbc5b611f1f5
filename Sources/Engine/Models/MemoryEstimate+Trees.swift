/// The estimates of the tree models, whose size `trees`, `iterations`, `depth` and `min_leaf` choose.
extension MemoryEstimate {
    /// The bytes one node of a fitted tree takes (`DecisionNodes`: feature, threshold, missing side, both
    /// children and the value).
    static let nodeBytes = 4 + 8 + 1 + 4 + 4 + 8

    /// The most nodes a binary tree has when no leaf holds fewer than `minLeaf` of `rows` rows and none
    /// lies deeper than `depth`: twice its leaves less one.
    static func mostNodes(rows: Int, minLeaf: Int, depth: Int?) -> Int? {
        let leavesByRows = max(1, rows / max(minLeaf, 1))
        let leavesByDepth = depth.map { $0 >= 62 ? Int.max : 1 << max($0, 0) } ?? Int.max
        return product([min(leavesByRows, leavesByDepth), 2]).map { $0 - 1 }
    }

    /// A forest of `trees` trees (a decision tree is one) on `rows` rows of `features` columns: each tree's
    /// nodes with `outputs` values per node (class shares or the mean), the importances of every tree, and
    /// for each tree grown at once its rows and the order the builder sorts them in.
    static func forest(
        trees: Int, rows: Int, features: Int, outputs: Int, depth: Int?, minLeaf: Int, concurrent: Int
    ) -> MemoryEstimate {
        let forest = trees > 1
        var estimate = MemoryEstimate(
            forest ? "a random forest of \(trees) trees on \(rows) rows" : "a decision tree on \(rows) rows",
            advice: forest ? "use fewer 'trees', a smaller 'depth' or a larger 'min_leaf'" : "use a smaller 'depth'")
        let nodes = mostNodes(rows: rows, minLeaf: minLeaf, depth: depth)
        let perNode = nodeBytes + 8 * max(outputs, 1)
        estimate.parts.append(
            Part(
                name: forest ? "the trees' nodes, up to \(nodes.map(String.init) ?? "too many") each" : "its nodes",
                bytes: nodes.flatMap { product([$0, perNode, trees]) }))
        estimate.add("feature importances of each tree", bytesPerValue: 8, features, trees)
        estimate.add("each value's rank among its feature's", bytesPerValue: 4, rows, features)
        estimate.add(
            "rows and sort order of \(concurrent) tree\(concurrent == 1 ? "" : "s") at a time", bytesPerValue: 8,
            rows, 3, concurrent)
        return estimate
    }

    /// Boosting `iterations` rounds of `outputs` trees of at most `leaves` leaves on `rows` rows of
    /// `features` columns: the binned data, gradients, hessians and scores of every row, a histogram per
    /// open leaf, and the trees.
    static func boosting(
        iterations: Int, outputs: Int, leaves: Int, rows: Int, validationRows: Int, features: Int, bins: Int
    ) -> MemoryEstimate {
        var estimate = MemoryEstimate(
            "gradient boosting of \(iterations) iterations × \(outputs) tree\(outputs == 1 ? "" : "s") of up to "
                + "\(leaves) leaves on \(rows) rows",
            advice: "use fewer 'iterations' or 'leaves'")
        estimate.add("the binned data", bytesPerValue: 1, rows + validationRows, features)
        estimate.add("gradients, hessians and scores", bytesPerValue: 8, rows, max(outputs, 1), 9)
        estimate.add("histograms of the open leaves", bytesPerValue: 32, features, bins + 1, leaves + 1)
        estimate.parts.append(
            Part(
                name: "the trees",
                bytes: product([leaves, 2]).flatMap { product([$0 - 1, nodeBytes, iterations, max(outputs, 1)]) }))
        return estimate
    }
}
