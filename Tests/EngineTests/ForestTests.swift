import Engine
import Foundation
import Testing

/// Decision trees and random forests against scikit-learn's on the shipped data
/// (Fixtures/make_tree_references.py), and what the cache and the user rely on: exact round trips,
/// the same forest at any thread count, and a clear error on missing values.
@Suite struct ForestTests {
    struct References: Decodable {
        var treeIris: Double
        var treeWine: Double
        var treeDigits: Double
        var forestIris: Double
        var forestWine: Double
        var forestDigits: Double
        var forestDiabetes: Double
    }

    static let references: References? = {
        guard let url = Bundle.module.url(forResource: "Fixtures/tree_references", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(References.self, from: data)
    }()

    /// The shipped file split as the reference script splits it: every fourth row (0, 4, …) tests.
    func shipped(_ file: String, target: String) throws -> (train: Dataset, test: Dataset) {
        let data = try Load.run(
            Load.Options(path: GradientBoostingTests.dataDirectory.appendingPathComponent(file).path, target: target))
        let rows = Array(0..<data.rowCount)
        return (data.rows(rows.filter { $0 % 4 != 0 }), data.rows(rows.filter { $0 % 4 == 0 }))
    }

    func fit(_ data: Dataset, forest: Bool, _ settings: [String: SettingValue] = [:]) throws -> Trained {
        try Forest.fit(data, options: try Forest.Options(forest: forest, Settings(settings)), forest: forest)
    }

    func score(_ model: Model, on test: Dataset) throws -> Double {
        let metric: Metric = model.task == .classification ? .accuracy : .r2
        return try #require(try Evaluate.run(model: model, input: test, metrics: [metric]).first?.value.number)
    }

    @Test(arguments: [("iris.csv", "species"), ("wine.csv", "cultivar"), ("digits.csv", "label")])
    func aTreeScoresWithinThreePointsOfScikitLearns(file: String, target: String) throws {
        let references = try #require(Self.references)
        let reference = try #require(
            ["iris.csv": references.treeIris, "wine.csv": references.treeWine, "digits.csv": references.treeDigits][
                file])
        let (train, test) = try shipped(file, target: target)
        let trained = try fit(train, forest: false)
        let ours = try score(trained.model, on: test)
        #expect(ours >= reference - 0.03, "\(file): \(ours) vs scikit-learn's \(reference)")
        // A tree grown to purity with one row per leaf allowed fits its training rows exactly.
        #expect(try score(trained.model, on: train) == 1)
    }

    @Test(arguments: [
        ("iris.csv", "species"), ("wine.csv", "cultivar"), ("digits.csv", "label"), ("diabetes.csv", "progression"),
    ])
    func aForestScoresAsScikitLearnsDoes(file: String, target: String) throws {
        let references = try #require(Self.references)
        let reference = try #require(
            [
                "iris.csv": references.forestIris, "wine.csv": references.forestWine,
                "digits.csv": references.forestDigits, "diabetes.csv": references.forestDiabetes,
            ][file])
        let (train, test) = try shipped(file, target: target)
        let trained = try fit(train, forest: true)
        let ours = try score(trained.model, on: test)
        let tolerance = file == "diabetes.csv" ? 0.05 : 0.015
        #expect(ours >= reference - tolerance, "\(file): \(ours) vs scikit-learn's \(reference)")
    }

    @Test func aForestIsTheSameAtAnyThreadCountAndRoundTripsExactly() throws {
        let (train, test) = try shipped("wine.csv", target: "cultivar")
        let one = try ThreadBudget.withCount(1) { try fit(train, forest: true, ["trees": .int(20)]) }
        let two = try ThreadBudget.withCount(2) { try fit(train, forest: true, ["trees": .int(20)]) }
        #expect(try one.model.encoded() == two.model.encoded())
        let restored = try Model.decoded(from: try one.model.encoded())
        #expect(restored == one.model)
        #expect(try restored.predict(test) == one.model.predict(test))
        let importances = try #require(one.model.featureImportances)
        #expect(abs(importances.map(\.importance).reduce(0, +) - 1) < 1e-9)
    }

    @Test func missingValuesAskForImputeNamingTheColumns() throws {
        let data = Dataset(
            features: Matrix([[1, .nan, 3], [.nan, .nan, 1], [2, 5, 0]]),
            columns: ["a", "b", "c"].map { FeatureColumn(name: $0, kind: .numeric) },
            target: Target(name: "y", values: [0, 1, 0], classNames: nil))
        let expected = EngineError(
            "columns 'a' (1 missing) and 'b' (2 missing) have missing values; impute them with a preprocess step (impute: [a, b])"
        )
        #expect(throws: expected) { try fit(data, forest: false) }
        #expect(throws: expected) { try fit(data, forest: true) }
    }

    @Test func aCriterionMustSuitTheTarget() throws {
        let (train, _) = try shipped("diabetes.csv", target: "progression")
        #expect(
            throws: EngineError(
                "'criterion' gini is for classification, and this target is regressed (it is not text nor at most 32 whole numbers); use squared_error"
            )
        ) { try fit(train, forest: false, ["criterion": .string("gini")]) }
        let (iris, _) = try shipped("iris.csv", target: "species")
        #expect(
            throws: EngineError(
                "'criterion' squared_error is for regression, and this target is classified; use gini or entropy")
        ) { try fit(iris, forest: false, ["criterion": .string("squared_error")]) }
        let entropy = try fit(iris, forest: false, ["criterion": .string("entropy"), "depth": .int(2)])
        guard case .decisionTree = entropy.model else { throw EngineError("not a tree") }
    }
}
