extension Metrics {
    /// Sum of squared Euclidean distances from each point to the centre of its cluster (`KMeans.inertia_`).
    ///
    /// Row `i` of `points` belongs to the cluster `labels[i]`, whose centre is row `labels[i]` of `centers`.
    public static func inertia(points: Matrix, centers: Matrix, labels: [Int]) throws -> Double {
        let metric = "inertia"
        try checkPaired(labels.count, points.rows, metric: metric)
        guard centers.columns == points.columns else {
            throw EngineError(
                "\(metric): the points have \(points.columns) features but the centres have \(centers.columns)")
        }
        try checkFinite(points.values, "the points", metric: metric)
        try checkFinite(centers.values, "the centres", metric: metric)
        if let index = labels.firstIndex(where: { !(0..<centers.rows).contains($0) }) {
            throw EngineError(
                "\(metric): point \(index) has cluster \(labels[index]), but there are \(centers.rows) centres")
        }
        let width = points.columns
        var total = 0.0
        for (index, label) in labels.enumerated() {
            var distance = 0.0
            for feature in 0..<width {
                let difference = points.values[index * width + feature] - centers.values[label * width + feature]
                distance += difference * difference
            }
            total += distance
        }
        return try finite(total, metric: metric)
    }

    /// Mean silhouette coefficient with Euclidean distances (`silhouette_score`), from −1 to 1.
    ///
    /// For each point, a is its mean distance to the other points of its cluster and b its smallest mean
    /// distance to another cluster; its coefficient is (b − a) / max(a, b), and 0 when it is alone in its
    /// cluster (or when a = b = 0, where scikit-learn's NaN becomes 0). Labels may be any integers. Needs
    /// between 2 and n − 1 distinct labels, as scikit-learn.
    ///
    /// Exact and O(n²·d): distances are computed as the root of summed squared differences (scikit-learn's
    /// ‖x‖² − 2x·y + ‖y‖² form agrees to about 1e-15 on well-scaled data), block by block so that both blocks of
    /// rows stay in cache, and every point's per-cluster sums run over the other points in index order.
    public static func silhouette(points: Matrix, labels: [Int]) throws -> Double {
        let metric = "silhouette"
        try checkPaired(labels.count, points.rows, metric: metric)
        try checkFinite(points.values, "the points", metric: metric)
        let count = points.rows
        let distinct = Set(labels).sorted()
        guard distinct.count >= 2, distinct.count <= count - 1 else {
            throw EngineError(
                "\(metric): needs between 2 and \(count - 1) clusters for \(count) points, got \(distinct.count)")
        }
        var code: [Int: Int] = [:]
        for (index, label) in distinct.enumerated() { code[label] = index }
        let clusters = labels.map { code[$0] ?? 0 }
        var sizes = [Int](repeating: 0, count: distinct.count)
        for cluster in clusters { sizes[cluster] += 1 }

        var total = 0.0
        let blockSize = 64
        var sums = [Double](repeating: 0, count: blockSize * distinct.count)
        for blockStart in stride(from: 0, to: count, by: blockSize) {
            let blockEnd = min(blockStart + blockSize, count)
            for index in sums.indices { sums[index] = 0 }
            accumulateDistances(
                points: points, clusters: clusters, clusterCount: distinct.count, rows: blockStart..<blockEnd,
                into: &sums)
            for row in blockStart..<blockEnd {
                let own = clusters[row]
                guard sizes[own] > 1 else { continue }  // alone in its cluster: coefficient 0
                let offset = (row - blockStart) * distinct.count
                let within = sums[offset + own] / Double(sizes[own] - 1)
                var nearest = Double.infinity
                for cluster in sizes.indices where cluster != own {
                    nearest = min(nearest, sums[offset + cluster] / Double(sizes[cluster]))
                }
                let scale = max(within, nearest)
                if scale > 0 { total += (nearest - within) / scale }
            }
        }
        return try finite(total / Double(count), metric: metric)
    }

    /// Adds, for each point of `rows`, its distance to every point into that point's sum for the other point's
    /// cluster: `sums[(row − rows.lowerBound) · clusterCount + cluster]`. Tiles of rows keep both sides in cache;
    /// for each point the other points are still visited in index order.
    private static func accumulateDistances(
        points: Matrix, clusters: [Int], clusterCount: Int, rows: Range<Int>, into sums: inout [Double]
    ) {
        let width = points.columns
        let tile = 64
        points.values.withUnsafeBufferPointer { values in
            sums.withUnsafeMutableBufferPointer { sums in
                for tileStart in stride(from: 0, to: points.rows, by: tile) {
                    let tileEnd = min(tileStart + tile, points.rows)
                    for row in rows {
                        let left = row * width
                        let offset = (row - rows.lowerBound) * clusterCount
                        for other in tileStart..<tileEnd {
                            let right = other * width
                            let squared = squaredDistance(values, left, right, width)
                            sums[offset + clusters[other]] += squared.squareRoot()
                        }
                    }
                }
            }
        }
    }

    /// ‖a − b‖² for the rows starting at `left` and `right`, in four interleaved partial sums so that the
    /// additions do not wait on one another (a fixed order, hence still deterministic).
    @inline(__always)
    private static func squaredDistance(
        _ values: UnsafeBufferPointer<Double>, _ left: Int, _ right: Int, _ width: Int
    ) -> Double {
        var partial = SIMD4<Double>()
        var feature = 0
        while feature + 4 <= width {
            var difference = SIMD4<Double>()
            for lane in 0..<4 { difference[lane] = values[left + feature + lane] - values[right + feature + lane] }
            partial += difference * difference
            feature += 4
        }
        var squared = (partial[0] + partial[1]) + (partial[2] + partial[3])
        while feature < width {
            let difference = values[left + feature] - values[right + feature]
            squared += difference * difference
            feature += 1
        }
        return squared
    }
}
