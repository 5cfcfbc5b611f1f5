import Foundation
import Testing

@testable import Drift

/// PSI, KS and χ² against numpy and scipy on fixed data: `scripts/drift_references.py` wrote the fixture.
struct DriftReferenceTests {
    struct References: Decodable {
        struct Numeric: Decodable {
            var name: String
            var train: [Double]
            var new: [Double]
            var edges: [Double]
            var trainCounts: [Int]
            var newCounts: [Int]
            var mean: Double
            var std: Double
            var psi: Double
            var ksStatistic: Double
            var ksPValue: Double
        }
        struct Categorical: Decodable {
            var name: String
            var trainCounts: [Int]
            var newCounts: [Int]
            var psi: Double
            var chi2: Double
            var dof: Int
            var pValue: Double
        }
        struct Tail: Decodable {
            var x: Double
            var sf: Double
        }
        var numeric: [Numeric]
        var categorical: [Categorical]
        var kolmogorov: [Tail]
    }

    static let references: References = {
        guard
            let url = Bundle.module.url(
                forResource: "drift-references", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url),
            let decoded = try? JSONDecoder().decode(References.self, from: data)
        else { return References(numeric: [], categorical: [], kolmogorov: []) }
        return decoded
    }()

    static func close(_ a: Double?, _ b: Double, relative: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= relative * max(abs(b), 1e-300)
    }

    @Test func theFixtureIsRead() {
        #expect(Self.references.numeric.count == 4)
        #expect(Self.references.categorical.count == 3)
    }

    @Test(arguments: references.numeric.map(\.name))
    func numericColumnsMatchNumpyAndScipy(_ name: String) throws {
        let reference = try #require(Self.references.numeric.first { $0.name == name })
        let statistics = try #require(NumericStatistics(values: reference.train))
        #expect(statistics.edges.count == reference.edges.count)
        for (mine, theirs) in zip(statistics.edges, reference.edges) {
            #expect(Self.close(mine, theirs, relative: 1e-12))
        }
        #expect(statistics.counts == reference.trainCounts)
        #expect(Self.close(statistics.mean, reference.mean, relative: 1e-12))
        #expect(Self.close(statistics.standardDeviation, reference.std, relative: 1e-12))
        let column = ColumnStatistics(
            name: name, role: .feature, rows: reference.train.count, missing: 0, numeric: statistics)
        let drift = FeatureDrift(column, .numbers(reference.new), threshold: 0.2)
        #expect(drift.bins.dropLast().map(\.new) == reference.newCounts)
        #expect(Self.close(drift.psi, reference.psi))
        #expect(Self.close(drift.statistic, reference.ksStatistic, relative: 1e-12))
        #expect(Self.close(drift.pValue, reference.ksPValue, relative: 1e-7))
    }

    @Test(arguments: references.categorical.map(\.name))
    func categoriesMatchScipy(_ name: String) throws {
        let reference = try #require(Self.references.categorical.first { $0.name == name })
        #expect(
            Self.close(
                PopulationStability.index(expected: reference.trainCounts, actual: reference.newCounts), reference.psi))
        let test = try #require(ChiSquare.test(expected: reference.trainCounts, actual: reference.newCounts))
        #expect(Self.close(test.statistic, reference.chi2))
        #expect(test.degreesOfFreedom == reference.dof)
        #expect(Self.close(test.pValue, reference.pValue, relative: 1e-7))
    }

    @Test func theKolmogorovTailMatchesScipy() {
        for tail in Self.references.kolmogorov {
            #expect(Self.close(KolmogorovSmirnov.survival(tail.x), tail.sf, relative: 1e-9), "at \(tail.x)")
        }
    }

    @Test func aCategoryTheTrainingDataLackedCountsAsNew() {
        let training = ColumnStatistics(
            name: "colour", role: .feature, rows: 30, missing: 0,
            categorical: CategoryStatistics(counts: ["red": 20, "blue": 10]))
        let drift = FeatureDrift(
            training, .categories(levels: ["blue", "green", "red"], codes: [0, 1, 1, 2, 2, 2, .nan]), threshold: 0.2)
        #expect(drift.bins.map(\.label) == ["red", "blue", "new categories", "missing"])
        #expect(drift.bins.map(\.new) == [3, 1, 2, 1])
        #expect(drift.newCategories == 2)
        #expect(drift.drifted)
    }

    @Test func aManySidedColumnKeepsItsMostFrequentCategories() {
        var counts: [String: Int] = [:]
        for index in 0..<150 { counts["c\(index)"] = index + 1 }
        let statistics = CategoryStatistics(counts: counts)
        #expect(statistics.categories.count == 100)
        #expect(statistics.categories.first == "c149")
        #expect(statistics.otherCategories == 50)
        #expect(statistics.other == (1...50).reduce(0, +))
    }

    @Test func aLargeColumnKeepsEvenlySpacedOrderStatistics() throws {
        let values = (0..<10_000).map(Double.init).reversed()
        let statistics = try #require(NumericStatistics(values: Array(values) + [.nan]))
        #expect(statistics.sample.count == 1_000)
        #expect(statistics.sample.first == 5)
        #expect(statistics.sample.last == 9_995)
        #expect(statistics.count == 10_000)
    }
}
