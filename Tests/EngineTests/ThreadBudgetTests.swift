import Foundation
import Testing

@testable import Engine

/// One owner of the thread count: the budget, BLIS single-threaded inside parallel regions, and
/// results that do not depend on the count.
@Suite(.serialized) struct ThreadBudgetTests {
    @Test func theBudgetIsTheCoreCountUnlessAthanorThreadsSaysOtherwise() {
        #expect(ThreadBudget.count(environment: [:], cores: 2) == 2)
        #expect(ThreadBudget.count(environment: ["ATHANOR_THREADS": "3"], cores: 2) == 3)
        #expect(ThreadBudget.count(environment: ["ATHANOR_THREADS": " 1 "], cores: 8) == 1)
        // Not a positive integer: ignored.
        #expect(ThreadBudget.count(environment: ["ATHANOR_THREADS": "0"], cores: 2) == 2)
        #expect(ThreadBudget.count(environment: ["ATHANOR_THREADS": "all"], cores: 2) == 2)
        // The inherited OpenMP and BLIS variables do not count.
        #expect(ThreadBudget.count(environment: ["OMP_NUM_THREADS": "4", "BLIS_NUM_THREADS": "4"], cores: 2) == 2)
    }

    @Test func blisRunsSingleThreadedInsideAParallelRegionOnly() {
        #expect(
            [(2, 0), (2, 1), (2, 3), (1, 0), (4, 0)].map { ThreadBudget.blasThreads(count: $0.0, regions: $0.1) }
                == [2, 1, 1, 1, 4])
    }

    @Test func everyIndexRunsOnceWithBLISAtOneThread() {
        let seen = Seen()
        ThreadBudget.withCount(2) {
            ThreadBudget.concurrentPerform(iterations: 7) { index in
                // BLIS as it holds its count: what the next product would use.
                seen.add(index, blasThreads: BLAS.threads)
            }
        }
        #expect(
            seen.values.sorted { $0.index < $1.index }.map { "\($0.index):\($0.blasThreads)" }
                == ["0:1", "1:1", "2:1", "3:1", "4:1", "5:1", "6:1"])
    }

    @Test func kMeansGivesTheSameModelOnOneAndTwoThreads() throws {
        let data = try Synthetic.generate(
            kind: "blobs", samples: 3000, features: 16, classes: 6, noise: 0.5, seed: 4)
        var options = KMeans.Options()
        options.k = 6
        options.restarts = 6
        let one = try ThreadBudget.withCount(1) { try KMeans.fit(data, options: options) }
        let two = try ThreadBudget.withCount(2) { try KMeans.fit(data, options: options) }
        #expect(one.model == two.model)
        #expect(one.series == two.series)
    }

    @Test func mlpGivesTheSameModelWithBLISOnOneAndTwoThreads() throws {
        let data = try Synthetic.generate(
            kind: "classification", samples: 1000, features: 100, classes: 4, noise: 0.3, seed: 5)
        var options = MultilayerPerceptron.Options()
        options.hidden = [256]
        options.epochs = 3
        let one = try ThreadBudget.withCount(1) {
            try MultilayerPerceptron.fit(data, validation: nil, options: options)
        }
        // Outside a parallel region BLIS takes the whole budget: two threads for `two`.
        let two = try ThreadBudget.withCount(2) {
            try MultilayerPerceptron.fit(data, validation: nil, options: options)
        }
        #expect(one.model == two.model)
        #expect(one.series == two.series)
    }

    final class Seen: @unchecked Sendable {
        // @unchecked: `values` is read and written under `lock` only.
        private let lock = NSLock()
        private var list: [(index: Int, blasThreads: Int)] = []

        func add(_ index: Int, blasThreads: Int) { lock.withLock { list.append((index, blasThreads)) } }
        var values: [(index: Int, blasThreads: Int)] { lock.withLock { list } }
    }
}

/// Loops bound by memory run a range of rows per core; the result must not depend on how many.
@Suite struct RangeParallelTests {
    @Test func gatheringRowsOnSeveralThreadsGivesTheRowsInOrder() {
        let rows = 600_000
        let matrix = Matrix(rows: rows, columns: 2, values: (0..<(rows * 2)).map { Double($0) * 0.5 })
        var generator = SeededGenerator(seed: 3)
        var order = Array(0..<rows)
        generator.shuffle(&order)
        let expected = order.flatMap { [matrix[$0, 0], matrix[$0, 1]] }
        // Most threads first: a later gather may get the freed buffer of an earlier one back from malloc.
        for count in [3, 2, 1] {
            let gathered = ThreadBudget.withCount(count) { matrix.rows(order) }
            #expect(gathered.values == expected, "\(count) threads")
        }
    }

    @Test func standardizingOnSeveralThreadsGivesTheSameBits() throws {
        let rows = 300_000
        let values = (0..<(rows * 2)).map { Double(($0 * 7919) % 1000) / 7 }
        let data = Dataset(
            features: Matrix(rows: rows, columns: 2, values: values),
            columns: [FeatureColumn(name: "a", kind: .numeric), FeatureColumn(name: "b", kind: .numeric)], target: nil)
        let fitted = try Preprocess.fit(data, standardize: .all, minmax: nil, onehot: nil, impute: nil)
        let one = try ThreadBudget.withCount(1) { try fitted.apply(data) }
        let two = try ThreadBudget.withCount(2) { try fitted.apply(data) }
        #expect(one.features.values.map(\.bitPattern) == two.features.values.map(\.bitPattern))
        // And as the column path computes it, the columns given in the other order.
        let swapped = Dataset(features: data.features.columns([1, 0]), columns: data.columns.reversed(), target: nil)
        #expect(try fitted.apply(swapped).features.values.map(\.bitPattern) == two.features.values.map(\.bitPattern))
    }
}
