import Engine
import Foundation
import Testing

/// `op: synthetic`: generated data has the promised shape, and a seed fixes every number.
@Suite struct SyntheticTests {
    private func generate(
        _ kind: String, samples: Int = 100, features: Int = 2, classes: Int = 2, noise: Double = 0, seed: Int = 0
    ) throws -> Dataset {
        try Synthetic.generate(
            kind: kind, samples: samples, features: features, classes: classes, noise: noise, seed: seed)
    }

    /// The rows of class `label`.
    private func points(_ dataset: Dataset, label: Double) -> [[Double]] {
        let labels = dataset.target?.values ?? []
        return labels.indices.filter { labels[$0] == label }.map { Array(dataset.features.row($0)) }
    }

    @Test(arguments: Synthetic.kinds)
    func everyKindHasNamedColumnsAndATarget(kind: String) throws {
        let features = kind == "moons" || kind == "circles" ? 2 : 3
        let dataset = try generate(kind, samples: 61, features: features, classes: 2, noise: 0.1, seed: 1)
        #expect(dataset.rowCount == 61)
        #expect(dataset.columns.map(\.name) == (0..<features).map { "x\($0)" })
        #expect(dataset.columns.allSatisfy { $0.kind == .numeric })
        let target = try #require(dataset.target)
        #expect(target.name == "target")
        #expect(target.classNames == nil)
        #expect(dataset.features.values.allSatisfy { $0.isFinite })
        if kind != "regression" {
            #expect(target.values.allSatisfy { $0 == 0 || $0 == 1 })
            let ones = target.values.filter { $0 == 1 }.count
            #expect(ones == 30 || ones == 31)
        }
    }

    @Test(arguments: Synthetic.kinds)
    func theSameSeedGivesTheSameDatasetAndAnotherSeedAnother(kind: String) throws {
        let features = kind == "moons" || kind == "circles" ? 2 : 4
        let first = try generate(kind, samples: 50, features: features, noise: 0.2, seed: 7)
        let again = try generate(kind, samples: 50, features: features, noise: 0.2, seed: 7)
        let other = try generate(kind, samples: 50, features: features, noise: 0.2, seed: 8)
        #expect(first == again)
        #expect(first.features != other.features)
    }

    @Test func blobsAndClassificationShareRowsEvenlyAmongClasses() throws {
        for kind in ["blobs", "classification"] {
            let dataset = try generate(kind, samples: 302, features: 3, classes: 4, seed: 2)
            let counts = (0..<4).map { points(dataset, label: Double($0)).count }
            #expect(counts == [76, 76, 75, 75], "\(kind)")
            // Rows are shuffled, not grouped by class.
            let labels = dataset.target?.values ?? []
            #expect(labels != labels.sorted(), "\(kind)")
        }
    }

    @Test func blobsHaveUnitSpreadAroundCentresInsideTheBox() throws {
        let dataset = try generate("blobs", samples: 3000, features: 2, classes: 3, seed: 5)
        for label in 0..<3 {
            let rows = points(dataset, label: Double(label))
            for axis in 0..<2 {
                let values = rows.map { $0[axis] }
                let mean = values.reduce(0, +) / Double(values.count)
                let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count))
                    .squareRoot()
                #expect(abs(mean) < 10.2)
                #expect(abs(deviation - 1) < 0.1, "class \(label), axis \(axis): \(deviation)")
            }
        }
    }

    @Test func moonsWithoutNoiseLieOnTwoHalfCircles() throws {
        let dataset = try generate("moons", samples: 101)
        let outer = points(dataset, label: 0)
        let inner = points(dataset, label: 1)
        #expect(outer.count == 50)
        #expect(inner.count == 51)
        for point in outer {
            #expect(abs(point[0] * point[0] + point[1] * point[1] - 1) < 1e-12)
            #expect(point[1] >= -1e-12)
        }
        for point in inner {
            let (x, y) = (point[0] - 1, point[1] - 0.5)
            #expect(abs(x * x + y * y - 1) < 1e-12)
            #expect(point[1] <= 0.5 + 1e-12)
        }
    }

    @Test func circlesWithoutNoiseHaveRadiiOneAndOneHalf() throws {
        let dataset = try generate("circles", samples: 80)
        for (label, radius) in [(0.0, 1.0), (1.0, 0.5)] {
            let rows = points(dataset, label: label)
            #expect(rows.count == 40)
            for point in rows {
                #expect(abs((point[0] * point[0] + point[1] * point[1]).squareRoot() - radius) < 1e-12)
            }
        }
        let noisy = try generate("circles", samples: 80, noise: 0.1)
        let radii = points(noisy, label: 0).map { ($0[0] * $0[0] + $0[1] * $0[1]).squareRoot() }
        #expect(radii.contains { abs($0 - 1) > 1e-3 })
    }

    @Test func regressionWithoutNoiseIsExactlyLinear() throws {
        let exact = try generate("regression", samples: 30, features: 1)
        let target = try #require(exact.target)
        let ratios = (0..<30).map { target.values[$0] / exact.features[$0, 0] }
        #expect(ratios.allSatisfy { abs($0 - ratios[0]) < 1e-9 })
        #expect(!target.isIntegral)

        let noisy = try generate("regression", samples: 30, features: 1, noise: 5)
        let noisyTarget = try #require(noisy.target)
        let noisyRatios = (0..<30).map { noisyTarget.values[$0] / noisy.features[$0, 0] }
        #expect(noisyRatios.contains { abs($0 - noisyRatios[0]) > 1e-3 })
    }

    @Test func classificationClassesHaveDistinctCentres() throws {
        let dataset = try generate("classification", samples: 2000, features: 3, classes: 4, seed: 3)
        let means = (0..<4).map { label -> [Double] in
            let rows = points(dataset, label: Double(label))
            return (0..<3).map { axis in rows.map { $0[axis] }.reduce(0, +) / Double(rows.count) }
        }
        for a in 0..<4 {
            for b in (a + 1)..<4 {
                let distance = zip(means[a], means[b]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
                #expect(distance > 1, "classes \(a) and \(b)")
            }
        }
        // More classes than the cube has vertices: centres spread along the diagonal instead.
        let line = try generate("classification", samples: 90, features: 1, classes: 3, seed: 3)
        #expect(Set(line.target?.values ?? []) == [0, 1, 2])
    }

    // MARK: - Errors

    @Test func moonsAndCirclesHaveTwoFeaturesAndTwoClasses() throws {
        for kind in ["moons", "circles"] {
            let features = try #require(throws: EngineError.self) { try generate(kind, features: 3) }
            #expect(features.message == "\(kind) data has exactly 2 features; got features: 3 (leave it out)")
            let classes = try #require(throws: EngineError.self) { try generate(kind, classes: 3) }
            #expect(classes.message == "\(kind) data has exactly 2 classes; got classes: 3 (leave it out)")
        }
    }

    @Test func impossibleSettingsAreErrors() throws {
        let fewer = try #require(throws: EngineError.self) { try generate("blobs", samples: 2, classes: 3) }
        #expect(fewer.message == "2 samples cannot fill 3 classes; give at least 3")
        let kind = try #require(throws: EngineError.self) { try generate("spirals") }
        #expect(kind.message.hasPrefix("unknown synthetic kind 'spirals'"))
        #expect(throws: EngineError.self) { try generate("blobs", samples: 0) }
        #expect(throws: EngineError.self) { try generate("blobs", features: 0) }
        #expect(throws: EngineError.self) { try generate("blobs", noise: -1) }
        #expect(throws: EngineError.self) { try generate("blobs", classes: 1) }
    }
}
