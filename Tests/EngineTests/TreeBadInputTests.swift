import Foundation
import Testing

@testable import Engine

/// Data and sizes that trees, forests and boosting cannot use fail as clear errors, before anything large is
/// allocated; data they can use though it looks odd (a constant or all-missing column) trains.
@Suite struct TreeBadInputTests {
    /// Two classes told apart by `x`, beside a constant column `c` and, if asked, an all-NaN column `gone`.
    static func data(rows: Int = 80, missingColumn: Bool = false, labels: [Double]? = nil) -> Dataset {
        let x = (0..<rows).map { row in
            [Double(row), 7] + (missingColumn ? [Double.nan] : [])
        }
        var columns = [FeatureColumn(name: "x", kind: .numeric), FeatureColumn(name: "c", kind: .numeric)]
        if missingColumn { columns.append(FeatureColumn(name: "gone", kind: .numeric)) }
        return Dataset(
            features: Matrix(x), columns: columns,
            target: Target(
                name: "y", values: labels ?? (0..<rows).map { $0 < rows / 2 ? 0 : 1 }, classNames: ["a", "b"]))
    }

    static func train(_ model: String, _ data: Dataset, _ settings: [String: SettingValue] = [:]) throws -> Trained {
        try Train.run(model: model, settings: Settings(settings), input: data)
    }

    @Test(arguments: ["decision_tree", "random_forest", "gradient_boosting"])
    func aConstantColumnTrainsAndGetsNoImportance(model: String) throws {
        let data = Self.data()
        let trained = try Self.train(model, data, model == "random_forest" ? ["features": .string("all")] : [:])
        let importances = try #require(trained.model.featureImportances)
        #expect(importances.first { $0.feature == "c" }?.importance == 0)
        let accuracy = try Evaluate.run(model: trained.model, input: data, metrics: [.accuracy])
        #expect(accuracy.first?.value.number == 1)
    }

    @Test func boostingTrainsBesideAnAllMissingColumn() throws {
        let data = Self.data(missingColumn: true)
        let trained = try Self.train("gradient_boosting", data)
        #expect(trained.model.featureImportances?.first { $0.feature == "gone" }?.importance == 0)
        #expect(try Evaluate.run(model: trained.model, input: data, metrics: [.accuracy]).first?.value.number == 1)
    }

    @Test(arguments: ["decision_tree", "random_forest"])
    func treesAskForImputationOfAnAllMissingColumn(model: String) throws {
        #expect(
            throws: EngineError(
                "column 'gone' (80 missing) has missing values; impute them with a preprocess step (impute: [gone])")
        ) {
            try Self.train(model, Self.data(missingColumn: true))
        }
    }

    @Test(arguments: ["decision_tree", "random_forest", "gradient_boosting"])
    func aSingleClassTargetIsAnError(model: String) throws {
        let data = Self.data(labels: Array(repeating: 1, count: 80))
        #expect(
            throws: EngineError("target 'y' has a single class ('b'); a classifier needs at least two", column: "y")
        ) {
            try Self.train(model, data)
        }
    }

    @Test func moreTreesThanMemoryHoldsAreRefusedBeforeGrowing() throws {
        // Two threads, so that the trees grown at once do not depend on the machine.
        let error = ThreadBudget.withCount(2) {
            MemoryEstimate.$limitOverride.withValue(16_000_000_000) {
                #expect(throws: EngineError.self) {
                    try Self.train("random_forest", Self.data(), ["trees": .int(100_000_000)])
                }
            }
        }
        #expect(
            error?.description
                == "a random forest of 100000000 trees on 80 rows needs about 717.1 GB (the trees' nodes, up to 159 "
                + "each 715.5 GB; feature importances of each tree 1.6 GB; each value's rank among its feature's "
                + "640 bytes; rows and sort order of 2 trees at a time 3.8 kB), more than this machine's 16.0 GB of memory; use fewer 'trees', a smaller 'depth' or a "
                + "larger 'min_leaf'")
        // A forest that fits is not refused.
        _ = try MemoryEstimate.$limitOverride.withValue(16_000_000_000) {
            try Self.train("random_forest", Self.data(), ["trees": .int(3)])
        }
    }

    @Test func moreBoostingIterationsThanMemoryHoldsAreRefused() throws {
        let error = MemoryEstimate.$limitOverride.withValue(16_000_000_000) {
            #expect(throws: EngineError.self) {
                try Self.train("gradient_boosting", Self.data(), ["iterations": .int(1_000_000_000)])
            }
        }
        #expect(
            error?.description.hasPrefix("gradient boosting of 1000000000 iterations × 1 tree of up to 31 leaves")
                == true)
        #expect(error?.description.hasSuffix("use fewer 'iterations' or 'leaves'") == true)
    }
}
