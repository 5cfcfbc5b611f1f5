import Foundation

extension Synthetic {
    /// A seeded dataset of `samples` rows with columns `x0`…, and a numeric target named `target`:
    /// class labels 0..<classes for the classifying kinds, a continuous value for `regression`.
    ///
    /// The shapes follow scikit-learn's `make_blobs`, `make_moons`, `make_circles` (factor 0.5) and
    /// `make_regression`; the numbers differ, since they come from `SeededGenerator`. Rows are shuffled,
    /// so that no class comes first. The same arguments give the same dataset, bit for bit.
    ///
    /// - `blobs`: one centre per class, uniform in [-10, 10] on each axis; points at standard
    ///   deviation 1 + noise around it.
    /// - `moons`, `circles`: two classes in two features; gaussian noise of standard deviation `noise`.
    /// - `regression`: standard normal features; target = features · coefficients (uniform in
    ///   [0, 100)) plus gaussian noise of standard deviation `noise`. `classes` is ignored.
    /// - `classification`: one centre per class on a vertex of the cube [-1, 1]^features (distinct
    ///   while there are enough vertices, else spaced along the diagonal), each class with its own
    ///   spread (standard deviation in [0.5, 1.5) per axis), plus gaussian noise of deviation `noise`.
    public static func generate(
        kind: String, samples: Int, features: Int, classes: Int, noise: Double, seed: Int
    ) throws -> Dataset {
        guard kinds.contains(kind) else {
            throw EngineError(
                "unknown synthetic kind '\(kind)'; the kinds are " + kinds.joined(separator: ", "))
        }
        guard samples >= 1 else { throw EngineError("samples must be at least 1; got \(samples)") }
        guard features >= 1 else { throw EngineError("features must be at least 1; got \(features)") }
        guard noise >= 0, noise.isFinite else {
            throw EngineError("noise must be a finite number, 0 or more; got \(noise)")
        }
        guard samples.multipliedReportingOverflow(by: features).partialValue <= 100_000_000,
            !samples.multipliedReportingOverflow(by: features).overflow
        else {
            throw EngineError("\(samples) samples × \(features) features is too large for synthetic data")
        }
        try MemoryEstimate.synthetic(samples: samples, features: features).check()
        var generator = SeededGenerator(seed: seed)
        var rows: [[Double]]
        var labels: [Double]
        switch kind {
        case "moons", "circles":
            guard features == 2 else {
                throw EngineError("\(kind) data has exactly 2 features; got features: \(features) (leave it out)")
            }
            guard classes == 2 else {
                throw EngineError("\(kind) data has exactly 2 classes; got classes: \(classes) (leave it out)")
            }
            guard samples >= 2 else { throw EngineError("\(kind) needs at least 2 samples; got \(samples)") }
            (rows, labels) = kind == "moons" ? moons(samples) : circles(samples)
            for i in rows.indices {
                for j in 0..<2 { rows[i][j] += noise * generator.gaussian() }
            }
        case "regression":
            (rows, labels) = regression(samples, features, noise, &generator)
        default:
            guard classes >= 2 else { throw EngineError("classes must be at least 2; got \(classes)") }
            guard samples >= classes else {
                throw EngineError("\(samples) samples cannot fill \(classes) classes; give at least \(classes)")
            }
            (rows, labels) =
                kind == "blobs"
                ? blobs(samples, features, classes, noise, &generator)
                : classification(samples, features, classes, noise, &generator)
        }
        var order = Array(rows.indices)
        generator.shuffle(&order)
        let matrix = Matrix(rows: samples, columns: features, values: order.flatMap { rows[$0] })
        let columns = (0..<features).map { FeatureColumn(name: "x\($0)", kind: .numeric) }
        let target = Target(name: "target", values: order.map { labels[$0] }, classNames: nil)
        return Dataset(features: matrix, columns: columns, target: target)
    }

    /// How many rows each class gets: an equal share, the first classes taking one more of the rest.
    private static func counts(_ samples: Int, _ classes: Int) -> [Int] {
        (0..<classes).map { samples / classes + ($0 < samples % classes ? 1 : 0) }
    }

    /// `count` evenly spaced points from `start` to `end`, both included (as numpy's `linspace`).
    private static func spaced(_ count: Int, from start: Double, to end: Double, includingEnd: Bool = true)
        -> [Double]
    {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (end - start) / Double(includingEnd ? count - 1 : count)
        return (0..<count).map { start + Double($0) * step }
    }

    private static func moons(_ samples: Int) -> ([[Double]], [Double]) {
        let outer = samples / 2
        let inner = samples - outer
        var rows = spaced(outer, from: 0, to: .pi).map { [cos($0), sin($0)] }
        rows += spaced(inner, from: 0, to: .pi).map { [1 - cos($0), 1 - sin($0) - 0.5] }
        return (rows, Array(repeating: 0, count: outer) + Array(repeating: 1, count: inner))
    }

    private static func circles(_ samples: Int) -> ([[Double]], [Double]) {
        let factor = 0.5
        let outer = samples / 2
        let inner = samples - outer
        var rows = spaced(outer, from: 0, to: 2 * .pi, includingEnd: false).map { [cos($0), sin($0)] }
        rows += spaced(inner, from: 0, to: 2 * .pi, includingEnd: false).map { [factor * cos($0), factor * sin($0)] }
        return (rows, Array(repeating: 0, count: outer) + Array(repeating: 1, count: inner))
    }

    private static func blobs(
        _ samples: Int, _ features: Int, _ classes: Int, _ noise: Double, _ generator: inout SeededGenerator
    ) -> ([[Double]], [Double]) {
        let centres = (0..<classes).map { _ in (0..<features).map { _ in -10 + 20 * generator.uniform() } }
        let spread = 1 + noise
        var rows: [[Double]] = []
        var labels: [Double] = []
        for (label, count) in counts(samples, classes).enumerated() {
            for _ in 0..<count {
                rows.append(centres[label].map { $0 + spread * generator.gaussian() })
                labels.append(Double(label))
            }
        }
        return (rows, labels)
    }

    private static func regression(
        _ samples: Int, _ features: Int, _ noise: Double, _ generator: inout SeededGenerator
    ) -> ([[Double]], [Double]) {
        let coefficients = (0..<features).map { _ in 100 * generator.uniform() }
        var rows: [[Double]] = []
        var targets: [Double] = []
        for _ in 0..<samples {
            let row = (0..<features).map { _ in generator.gaussian() }
            var value = 0.0
            for (x, c) in zip(row, coefficients) { value += x * c }
            rows.append(row)
            targets.append(value + noise * generator.gaussian())
        }
        return (rows, targets)
    }

    private static func classification(
        _ samples: Int, _ features: Int, _ classes: Int, _ noise: Double, _ generator: inout SeededGenerator
    ) -> ([[Double]], [Double]) {
        var centres: [[Double]] = []
        if features >= 62 || 1 << features >= classes {
            var used = Set<[Double]>()
            while centres.count < classes {
                let vertex = (0..<features).map { _ in generator.uniform() < 0.5 ? -1.0 : 1.0 }
                if used.insert(vertex).inserted { centres.append(vertex) }
            }
        } else {
            var positions = Array(0..<classes)
            generator.shuffle(&positions)
            centres = positions.map { position in
                Array(repeating: 2 * Double(position) - Double(classes - 1), count: features)
            }
        }
        let spreads = centres.map { _ in (0..<features).map { _ in 0.5 + generator.uniform() } }
        var rows: [[Double]] = []
        var labels: [Double] = []
        for (label, count) in counts(samples, classes).enumerated() {
            for _ in 0..<count {
                let row = (0..<features).map { j in
                    centres[label][j] + spreads[label][j] * generator.gaussian() + noise * generator.gaussian()
                }
                rows.append(row)
                labels.append(Double(label))
            }
        }
        return (rows, labels)
    }
}
