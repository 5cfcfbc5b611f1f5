import Foundation

/// k-means with greedy k-means++ initialisation and Lloyd iterations, the best of several seeded
/// restarts kept, as scikit-learn's KMeans (tolerance 1e-4 of the mean feature variance).
public struct KMeans: Sendable, Hashable, Codable {
    /// Each restart's outcome, filled from concurrent restarts.
    final class Results: @unchecked Sendable {
        // @unchecked: each slot is written once, by one restart, under `lock`.
        private let lock = NSLock()
        private(set) var values: [(centers: Matrix, inertia: Double)?]

        init(count: Int) { values = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ value: (centers: Matrix, inertia: Double)) {
            lock.withLock { values[index] = value }
        }
    }

    public var featureNames: [String]
    public var centers: Matrix
    public var inertia: Double

    public static let variant = Variants.Variant(
        name: "kmeans", summary: "k-means clustering", task: .clustering,
        settings: [
            .optional("k", .integer(Bounds(minimum: 2)), default: "8", "number of clusters"),
            .optional("restarts", .positiveInteger, default: "10", "initialisations tried; the best is kept"),
            .optional("iterations", .positiveInteger, default: "300", "Lloyd iterations per restart"),
            .optional("seed", .seed, default: "0", "random seed"),
        ])

    public struct Options: Sendable, Hashable {
        public var k = 8
        public var restarts = 10
        public var iterations = 300
        public var seed = 0

        public init() {}

        public init(_ settings: Settings) throws {
            k = try settings.int("k", default: k)
            restarts = try settings.int("restarts", default: restarts)
            iterations = try settings.int("iterations", default: iterations)
            seed = try settings.int("seed", default: seed)
        }
    }

    public static func fit(_ dataset: Dataset, options: Options, progress: ((TrainingEvent) -> Void)? = nil) throws
        -> Trained
    {
        let x = try dataset.numericFeatures()
        let n = x.rows
        let k = options.k
        guard k >= 1 else { throw EngineError("'k' must be at least 1") }
        guard k <= n else { throw EngineError("k (\(k)) is larger than the number of rows (\(n))") }
        let p = x.columns
        try MemoryEstimate.kmeans(
            rows: n, features: p, k: k, restarts: max(1, options.restarts),
            concurrent: ThreadBudget.workers(for: max(1, options.restarts))
        ).check()
        var variance = 0.0
        for c in 0..<p {
            var mean = 0.0
            for r in 0..<n { mean += x[r, c] }
            mean /= Double(n)
            var sum = 0.0
            for r in 0..<n { sum += (x[r, c] - mean) * (x[r, c] - mean) }
            variance += sum / Double(n)
        }
        let tolerance = p > 0 ? 1e-4 * variance / Double(p) : 0
        let norms = (0..<n).map { r in x.row(r).reduce(0) { $0 + $1 * $1 } }
        // Each restart gets its own seed, drawn in order, so restarts can run on the thread budget's
        // cores and the result still depends on nothing but the data and `seed`.
        var generator = SeededGenerator(seed: options.seed)
        let restarts = max(1, options.restarts)
        let seeds = (0..<restarts).map { _ in Int(truncatingIfNeeded: generator.next()) }
        let results = Results(count: restarts)
        ThreadBudget.concurrentPerform(iterations: restarts) { restart in
            var local = SeededGenerator(seed: seeds[restart])
            var centers = initialCenters(x, norms: norms, k: k, generator: &local)
            var labels = [Int](repeating: 0, count: n)
            var distances = [Double](repeating: 0, count: n)
            for _ in 0..<options.iterations {
                assign(x, norms: norms, centers: centers, labels: &labels, distances: &distances)
                let updated = recompute(x, labels: labels, distances: distances, k: k, previous: centers)
                var shift = 0.0
                for i in 0..<updated.values.count {
                    shift += (updated.values[i] - centers.values[i]) * (updated.values[i] - centers.values[i])
                }
                centers = updated
                if shift <= tolerance { break }
            }
            assign(x, norms: norms, centers: centers, labels: &labels, distances: &distances)
            // The data was checked finite, so the metric cannot fail; an infinite inertia would lose.
            let inertia = (try? Metrics.inertia(points: x, centers: centers, labels: labels)) ?? .infinity
            results.set(restart, (centers, inertia))
        }
        var best: (centers: Matrix, inertia: Double)?
        var series: [SeriesPoint] = []
        for (index, result) in results.values.enumerated() {
            guard let result else { continue }
            series.append(SeriesPoint(index + 1, result.inertia))
            progress?(TrainingEvent(epoch: index + 1, epochs: restarts, loss: result.inertia, unit: "restart"))
            if result.inertia < best?.inertia ?? .infinity { best = result }
        }
        guard let best else { throw EngineError("k-means found no clustering") }
        let model = KMeans(featureNames: dataset.columns.map(\.name), centers: best.centers, inertia: best.inertia)
        return Trained(model: .kmeans(model), series: ["inertia": series])
    }

    public func predict(_ features: Matrix) throws -> Prediction {
        guard features.columns == centers.columns else {
            throw EngineError("the model expects \(centers.columns) features, not \(features.columns)")
        }
        let norms = (0..<features.rows).map { r in features.row(r).reduce(0) { $0 + $1 * $1 } }
        var labels = [Int](repeating: 0, count: features.rows)
        var distances = [Double](repeating: 0, count: features.rows)
        Self.assign(features, norms: norms, centers: centers, labels: &labels, distances: &distances)
        return .clusters(labels: labels, centers: centers)
    }

    /// Greedy k-means++: each new centre is the best of 2 + ln k candidates drawn by D², their
    /// distances to every row from one BLAS product.
    static func initialCenters(_ x: Matrix, norms: [Double], k: Int, generator: inout SeededGenerator) -> Matrix {
        let n = x.rows
        let trials = 2 + Int(log(Double(k)))
        var chosen = [generator.index(below: n)]
        var closest = distances(x, norms: norms, to: chosen).column(0)
        var potential = closest.reduce(0, +)
        while chosen.count < k {
            let candidates = (0..<trials).map { _ in sample(closest, total: potential, generator: &generator) }
            let candidateDistances = distances(x, norms: norms, to: candidates)
            var bestTrial = 0
            var bestPotential = Double.infinity
            for trial in 0..<trials {
                var sum = 0.0
                for r in 0..<n { sum += min(closest[r], candidateDistances[r, trial]) }
                if sum < bestPotential {
                    bestPotential = sum
                    bestTrial = trial
                }
            }
            chosen.append(candidates[bestTrial])
            for r in 0..<n { closest[r] = min(closest[r], candidateDistances[r, bestTrial]) }
            potential = bestPotential
        }
        return x.rows(chosen)
    }

    /// Squared distances of every row to the rows `indices` (n × indices.count), never negative.
    static func distances(_ x: Matrix, norms: [Double], to indices: [Int]) -> Matrix {
        let products = x.multiplied(by: x.rows(indices), transposingOther: true)
        var result = products
        for r in 0..<x.rows {
            for (c, index) in indices.enumerated() {
                result[r, c] = max(norms[r] - 2 * products[r, c] + norms[index], 0)
            }
        }
        return result
    }

    /// A row drawn with probability proportional to `weights`; uniform when all are zero.
    static func sample(_ weights: [Double], total: Double, generator: inout SeededGenerator) -> Int {
        guard total > 0 else { return generator.index(below: weights.count) }
        var target = generator.uniform() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    /// Nearest centre of each row, with ‖x‖² − 2x·c + ‖c‖² from one BLAS product.
    static func assign(_ x: Matrix, norms: [Double], centers: Matrix, labels: inout [Int], distances: inout [Double]) {
        let products = x.multiplied(by: centers, transposingOther: true)
        let k = centers.rows
        let centerNorms = (0..<k).map { r in centers.row(r).reduce(0) { $0 + $1 * $1 } }
        for r in 0..<x.rows {
            var best = 0
            var bestDistance = Double.infinity
            for c in 0..<k {
                let distance = norms[r] - 2 * products[r, c] + centerNorms[c]
                if distance < bestDistance {
                    bestDistance = distance
                    best = c
                }
            }
            labels[r] = best
            distances[r] = max(bestDistance, 0)
        }
    }

    /// Means of each cluster; an empty cluster takes the row farthest from its centre.
    static func recompute(_ x: Matrix, labels: [Int], distances: [Double], k: Int, previous: Matrix) -> Matrix {
        var sums = Matrix(rows: k, columns: x.columns)
        var counts = [Int](repeating: 0, count: k)
        for r in 0..<x.rows {
            counts[labels[r]] += 1
            for c in 0..<x.columns { sums[labels[r], c] += x[r, c] }
        }
        var taken = Set<Int>()
        for cluster in 0..<k where counts[cluster] == 0 {
            let far = (0..<x.rows).filter { !taken.contains($0) }.max { distances[$0] < distances[$1] } ?? 0
            taken.insert(far)
            for c in 0..<x.columns { sums[cluster, c] = x[far, c] }
            counts[cluster] = 1
        }
        for cluster in 0..<k {
            for c in 0..<x.columns { sums[cluster, c] /= Double(counts[cluster]) }
        }
        return sums
    }
}
