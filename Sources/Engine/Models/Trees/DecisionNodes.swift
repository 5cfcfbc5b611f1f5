/// A fitted binary tree as flat arrays (node 0 the root), which encode compactly and predict
/// without pointers: node `i` is a leaf when `left[i] < 0`, and sends a row left when its
/// feature's value is `≤ threshold[i]`, or, for NaN, when `missingLeft[i]`.
struct DecisionNodes: Sendable, Hashable, Codable {
    var feature: [Int32] = []
    var threshold: [Double] = []
    var missingLeft: [Bool] = []
    var left: [Int32] = []
    var right: [Int32] = []
    /// A leaf's output (a boosting step's raw score); 0 for a split.
    var value: [Double] = []

    var count: Int { value.count }

    /// Appends a leaf and returns its index; `split` turns it into a split later.
    mutating func addLeaf(_ output: Double) -> Int {
        feature.append(-1)
        threshold.append(0)
        missingLeft.append(false)
        left.append(-1)
        right.append(-1)
        value.append(output)
        return value.count - 1
    }

    mutating func split(
        _ node: Int, feature index: Int, threshold cut: Double, missingLeft goesLeft: Bool, left l: Int, right r: Int
    ) {
        feature[node] = Int32(index)
        threshold[node] = cut
        missingLeft[node] = goesLeft
        left[node] = Int32(l)
        right[node] = Int32(r)
        value[node] = 0
    }

    /// The leaf value for the row whose features start at `row` (`stride` apart).
    @inline(__always)
    func output(_ row: UnsafePointer<Double>) -> Double {
        var node = 0
        while left[node] >= 0 {
            let x = row[Int(feature[node])]
            let goesLeft = x.isNaN ? missingLeft[node] : x <= threshold[node]
            node = Int(goesLeft ? left[node] : right[node])
        }
        return value[node]
    }

    /// The index of the leaf the row whose features start at `row` ends in.
    @inline(__always)
    func leaf(_ row: UnsafePointer<Double>) -> Int {
        var node = 0
        while left[node] >= 0 {
            let x = row[Int(feature[node])]
            let goesLeft = x.isNaN ? missingLeft[node] : x <= threshold[node]
            node = Int(goesLeft ? left[node] : right[node])
        }
        return node
    }

    /// Whether every index points inside the arrays, checked once when a model is decoded, so that
    /// a damaged model file gives an error rather than a crash.
    func isWellFormed(features: Int) -> Bool {
        let n = value.count
        guard n > 0,
            [feature.count, threshold.count, missingLeft.count, left.count, right.count].allSatisfy({ $0 == n })
        else { return false }
        for i in 0..<n where left[i] >= 0 || right[i] >= 0 {
            // Children come after their parent, so a walk always ends.
            guard Int(left[i]) > i, Int(left[i]) < n, Int(right[i]) > i, Int(right[i]) < n, feature[i] >= 0,
                Int(feature[i]) < features
            else { return false }
        }
        return true
    }
}
