import Engine
import Foundation
import Testing

/// Gradient boosting: what it learns, how it treats missing values, when it stops, and that a
/// stored model predicts exactly what the trained one did. Scores are compared with
/// scikit-learn's HistGradientBoosting on the shipped data (Fixtures/make_tree_references.py).
@Suite struct GradientBoostingTests {
    struct References: Decodable {
        var iris: Double
        var wine: Double
        var digits: Double
        var diabetes: Double
        var loansNumeric: Double
    }

    static let references: References? = {
        guard let url = Bundle.module.url(forResource: "Fixtures/tree_references", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(References.self, from: data)
    }()

    static let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("notebooks/data")

    func dataset(_ rows: [[Double]], _ targets: [Double], classNames: [String]? = nil) -> Dataset {
        let columns = (0..<(rows.first?.count ?? 0)).map { FeatureColumn(name: "x\($0)", kind: .numeric) }
        return Dataset(
            features: Matrix(rows), columns: columns, target: Target(name: "y", values: targets, classNames: classNames)
        )
    }

    func train(
        _ data: Dataset, validation: Dataset? = nil, _ change: (inout GradientBoosting.Options) -> Void = { _ in }
    )
        throws -> Trained
    {
        var options = GradientBoosting.Options()
        change(&options)
        return try GradientBoosting.fit(data, validation: validation, options: options)
    }

    func values(_ prediction: Prediction) -> [Double] {
        if case .values(let values) = prediction { return values }
        return []
    }

    func labels(_ prediction: Prediction) -> [Int] {
        if case .classes(let labels, _, _) = prediction { return labels }
        return []
    }

    /// The shipped file split as the reference script splits it: every fourth row (0, 4, …) tests.
    func shipped(_ file: String, target: String, drop: [String] = []) throws -> (train: Dataset, test: Dataset) {
        let data = try Load.run(
            Load.Options(path: Self.dataDirectory.appendingPathComponent(file).path, target: target, drop: drop))
        let rows = Array(0..<data.rowCount)
        return (data.rows(rows.filter { $0 % 4 != 0 }), data.rows(rows.filter { $0 % 4 == 0 }))
    }

    func score(_ model: Model, on test: Dataset) throws -> Double {
        let metric: Metric = model.task == .classification ? .accuracy : .r2
        let results = try Evaluate.run(model: model, input: test, metrics: [metric])
        return try #require(results.first?.value.number)
    }

    @Test func learnsAStepFunctionAndALinearBoundary() throws {
        // 200 distinct values, one bin each; targets that are not whole numbers, so that it regresses.
        let xs = (0..<200).map { Double($0) / 200 }
        let steps = try train(dataset(xs.map { [$0] }, xs.map { $0 < 0.3 ? 1.5 : $0 < 0.7 ? 5.5 : -2.5 }))
        let predicted = values(try steps.model.predict(Matrix([[0.1], [0.5], [0.9]])))
        #expect(predicted.count == 3)
        for (value, expected) in zip(predicted, [1.5, 5.5, -2.5]) { #expect(abs(value - expected) < 1e-3) }

        var generator = SeededGenerator(seed: 4)
        let points = (0..<600).map { _ in [generator.uniform(), generator.uniform()] }
        let sides = points.map { $0[0] + $0[1] > 1 ? 1.0 : 0 }
        let boundary = try train(dataset(points, sides))
        let test = (0..<200).map { _ in [generator.uniform(), generator.uniform()] }
        let truth = test.map { $0[0] + $0[1] > 1 ? 1 : 0 }
        let guessed = labels(try boundary.model.predict(Matrix(test)))
        let right = zip(guessed, truth).filter { $0 == $1 }.count
        #expect(right >= 190, "\(right) of 200")
    }

    @Test func aSplitLearnsWhereMissingValuesGo() throws {
        let xs = (0..<200).map { Double($0) / 200 }
        let rows = xs.map { [$0] } + Array(repeating: [Double.nan], count: 60)
        let stump: (inout GradientBoosting.Options) -> Void = {
            $0.iterations = 1
            $0.leaves = 2
            $0.lr = 1
        }
        // Missing values behave like the high values in one set and like the low ones in the other.
        let low = 0.5
        let high = 10.5
        let withHigh = try train(
            dataset(rows, xs.map { $0 < 0.5 ? low : high } + Array(repeating: high, count: 60)), stump)
        let withLow = try train(
            dataset(rows, xs.map { $0 < 0.5 ? low : high } + Array(repeating: low, count: 60)), stump)
        let probe = Matrix([[.nan], [0.1], [0.9]])
        let highs = values(try withHigh.model.predict(probe))
        let lows = values(try withLow.model.predict(probe))
        #expect(highs.count == 3 && lows.count == 3)
        #expect(highs[0] == highs[2] && highs[0] != highs[1])
        #expect(lows[0] == lows[1] && lows[0] != lows[2])
    }

    @Test func missingValuesUnseenInTrainingGoWhereMostRowsWent() throws {
        let xs = (0..<100).map { Double($0) / 100 }
        let stump: (inout GradientBoosting.Options) -> Void = {
            $0.iterations = 1
            $0.leaves = 2
        }
        let mostLow = try train(dataset(xs.map { [$0] }, xs.map { $0 < 0.7 ? 0.5 : 1.5 }), stump)
        let mostHigh = try train(dataset(xs.map { [$0] }, xs.map { $0 < 0.3 ? 0.5 : 1.5 }), stump)
        let probe = Matrix([[.nan], [0.1], [0.9]])
        let low = values(try mostLow.model.predict(probe))
        let high = values(try mostHigh.model.predict(probe))
        #expect(low.count == 3 && high.count == 3)
        #expect(low[0] == low[1] && low[0] != low[2])
        #expect(high[0] == high[2] && high[0] != high[1])
    }

    @Test func trainsOnMissingValuesWithoutImputeAsWellAsScikitLearn() throws {
        let references = try #require(Self.references)
        let (train, test) = try shipped("loans-train.csv", target: "outcome", drop: ["home", "purpose"])
        #expect(train.features.values.contains { $0.isNaN })
        let trained = try self.train(train)
        let accuracy = try score(trained.model, on: test)
        #expect(accuracy >= references.loansNumeric - 0.02, "\(accuracy) vs scikit-learn's \(references.loansNumeric)")
    }

    @Test(arguments: [
        ("iris.csv", "species"), ("wine.csv", "cultivar"), ("digits.csv", "label"), ("diabetes.csv", "progression"),
    ])
    func scoresAsScikitLearnDoesOnTheShippedData(file: String, target: String) throws {
        let references = try #require(Self.references)
        let expected = [
            "iris.csv": references.iris, "wine.csv": references.wine, "digits.csv": references.digits,
            "diabetes.csv": references.diabetes,
        ][file]
        let reference = try #require(expected)
        let (train, test) = try shipped(file, target: target)
        let trained = try self.train(train)
        let ours = try score(trained.model, on: test)
        // Classifiers within 1.5 points of accuracy, the regressor within 0.05 of R².
        let tolerance = file == "diabetes.csv" ? 0.05 : 0.015
        #expect(ours >= reference - tolerance, "\(file): \(ours) vs scikit-learn's \(reference)")
        #expect(trained.model.task == (file == "diabetes.csv" ? .regression : .classification))
    }

    @Test func earlyStoppingEndsTrainingWhenTheValidationLossStalls() throws {
        var generator = SeededGenerator(seed: 9)
        // Labels independent of the features: nothing to learn, so the validation loss soon stops improving.
        let rows = (0..<800).map { _ in [generator.uniform(), generator.uniform()] }
        let noise = dataset(rows, rows.map { _ in generator.uniform() < 0.5 ? 0 : 1 })
        let stopped = try train(noise) { $0.earlyStopping = .on }
        let losses = try #require(stopped.series["loss"])
        let validation = try #require(stopped.series["val_loss"])
        #expect(losses.count < 100)
        #expect(validation.count == losses.count)
        guard case .gradientBoosting(let model) = stopped.model else { throw EngineError("not boosting") }
        #expect(model.iterations == losses.count)
        let full = try train(noise) { $0.earlyStopping = .off }
        #expect(full.series["loss"]?.count == 100)
        #expect(full.series["val_loss"] == nil)
        // `auto` stops early above 10,000 rows only, as scikit-learn's does.
        let small = try train(noise)
        #expect(small.series["loss"]?.count == 100)
        #expect(small.series["val_loss"] == nil)
    }

    @Test func earlyStoppingIsOnByItselfAboveTenThousandRows() throws {
        var generator = SeededGenerator(seed: 5)
        let rows = (0..<10_001).map { _ in [generator.uniform()] }
        let noise = dataset(rows, rows.map { _ in generator.uniform() < 0.5 ? 0 : 1 })
        let trained = try train(noise)
        let losses = try #require(trained.series["loss"])
        #expect(losses.count < 100)
        #expect(trained.series["val_loss"]?.count == losses.count)
    }

    @Test func multiclassGrowsOneTreePerClassAndIteration() throws {
        let (train, test) = try shipped("iris.csv", target: "species")
        let trained = try self.train(train) { $0.iterations = 7 }
        guard case .gradientBoosting(let model) = trained.model else { throw EngineError("not boosting") }
        #expect(model.outputs == 3)
        #expect(model.iterations == 7)
        guard case .classes(_, let probabilities, let classes) = try trained.model.predict(test) else {
            throw EngineError("not classes")
        }
        #expect(classes.names == ["setosa", "versicolor", "virginica"])
        for row in 0..<probabilities.rows {
            let sum = (0..<3).map { probabilities[row, $0] }.reduce(0, +)
            #expect(abs(sum - 1) < 1e-12)
        }
    }

    @Test func recordsLossAndValidationSeriesPerIteration() throws {
        let (train, test) = try shipped("diabetes.csv", target: "progression")
        let trained = try self.train(train, validation: test) { $0.iterations = 12 }
        #expect(trained.series.keys.sorted() == ["loss", "val_loss", "val_rmse"])
        #expect(trained.series["loss"]?.map(\.index) == Array(1...12))
        let losses = try #require(trained.series["loss"]?.map(\.value))
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func importancesFavourTheInformativeFeature() throws {
        var generator = SeededGenerator(seed: 2)
        let rows = (0..<500).map { _ in [generator.uniform(), generator.uniform(), generator.uniform()] }
        let trained = try train(dataset(rows, rows.map { 3 * $0[1] + 0.5 * $0[2] }))
        let importances = try #require(trained.model.featureImportances)
        #expect(importances.map(\.feature) == ["x1", "x2", "x0"])
        #expect(abs(importances.map(\.importance).reduce(0, +) - 1) < 1e-12)
        #expect(importances[0].importance > 0.9)
    }

    @Test func aStoredModelPredictsExactlyAsTheTrainedOne() throws {
        let (train, test) = try shipped("loans-train.csv", target: "outcome", drop: ["home", "purpose"])
        let trained = try self.train(train)
        let restored = try Model.decoded(from: try trained.model.encoded())
        #expect(restored == trained.model)
        #expect(try restored.predict(test) == trained.model.predict(test))
        #expect(try restored.encoded() == trained.model.encoded())
    }

    @Test func aDamagedModelIsAnErrorNotACrash() throws {
        let trained = try train(dataset((0..<100).map { [Double($0)] }, (0..<100).map { Double($0 % 7) }))
        let text = String(decoding: try trained.model.encoded(), as: UTF8.self)
        let damaged = text.replacingOccurrences(of: "\"left\":[1,", with: "\"left\":[99999,")
        #expect(damaged != text)
        #expect(throws: DecodingError.self) { try Model.decoded(from: Array(damaged.utf8)) }
    }

    @Test func theModelIsTheSameAtAnyThreadCount() throws {
        let (train, _) = try shipped("digits.csv", target: "label")
        let one = try ThreadBudget.withCount(1) { try self.train(train) { $0.iterations = 5 } }
        let two = try ThreadBudget.withCount(2) { try self.train(train) { $0.iterations = 5 } }
        #expect(try one.model.encoded() == two.model.encoded())
    }

    @Test func badSettingsAndDataAreClearErrors() throws {
        let data = dataset((0..<50).map { [Double($0)] }, Array(repeating: 1, count: 50))
        #expect(
            throws: EngineError("target 'y' has a single class ('1'); a classifier needs at least two", column: "y")
        ) {
            try self.train(data)
        }
        #expect(throws: EngineError("'bins' must be in [2, 255]")) {
            try GradientBoosting.Options(Settings(["bins": .int(1)]))
        }
        #expect(throws: EngineError("'lr' must be > 0")) {
            try GradientBoosting.Options(Settings(["lr": .double(-1)]))
        }
        let categorical = Dataset(
            features: Matrix([[0], [1]]), columns: [FeatureColumn(name: "c", kind: .categorical(levels: ["a", "b"]))],
            target: Target(name: "y", values: [0, 1], classNames: nil))
        #expect(
            throws: EngineError("column 'c' is categorical; one-hot encode it with a preprocess step (onehot: [c])")
        ) {
            try self.train(categorical)
        }
    }
}
