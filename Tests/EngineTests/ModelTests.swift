import Engine
import Foundation
import Testing

/// Models against scikit-learn's results on the shipped data (Fixtures/make_model_references.py),
/// and the properties the cache relies on: determinism and exact serialisation round trips.
@Suite struct ModelTests {
    struct References: Decodable {
        struct Linear: Decodable {
            var coefficients: [Double]
            var intercept: Double
        }
        struct Diabetes: Decodable {
            var linear: Linear
            var ridge: Linear
        }
        struct Iris: Decodable {
            var x: [[Double]]
            var labels: [Int]
            var multinomialProbabilities: [[Double]]
            var binaryProbabilities: [[Double]]
        }
        struct Wine: Decodable {
            var x: [[Double]]
            var kmeans3Inertia: Double
        }
        var diabetes: Diabetes
        var iris: Iris
        var wine: Wine
    }

    static let references: References? = {
        guard let url = Bundle.module.url(forResource: "Fixtures/model_references", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(References.self, from: data)
    }()

    static let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("notebooks/data")

    func dataset(_ rows: [[Double]], labels: [Int]? = nil) -> Dataset {
        let columns = (0..<(rows.first?.count ?? 0)).map { FeatureColumn(name: "x\($0)", kind: .numeric) }
        return Dataset(
            features: Matrix(rows), columns: columns,
            target: labels.map { Target(name: "y", values: $0.map(Double.init), classNames: nil) })
    }

    func probabilities(_ prediction: Prediction) -> Matrix? {
        if case .classes(_, let probabilities, _) = prediction { return probabilities }
        return nil
    }

    @Test func linearAndRidgeMatchScikitLearnOnDiabetes() throws {
        let references = try #require(Self.references)
        let data = try Load.run(
            Load.Options(path: Self.dataDirectory.appendingPathComponent("diabetes.csv").path, target: "progression"))
        for (alpha, expected) in [(0.0, references.diabetes.linear), (1.0, references.diabetes.ridge)] {
            let model = try LinearRegression.fit(data, alpha: alpha)
            #expect(abs(model.intercept - expected.intercept) <= 1e-9 * abs(expected.intercept))
            for (ours, theirs) in zip(model.coefficients, expected.coefficients) {
                #expect(abs(ours - theirs) <= 1e-8 * max(1, abs(theirs)), "alpha \(alpha): \(ours) vs \(theirs)")
            }
        }
    }

    @Test func logisticMatchesScikitLearnOnIris() throws {
        let references = try #require(Self.references)
        let iris = references.iris
        let multinomial = try LogisticRegression.fit(
            dataset(iris.x, labels: iris.labels), validation: nil, options: LogisticRegression.Options())
        let ours = try #require(probabilities(try multinomial.model.predict(Matrix(iris.x))))
        for (row, expected) in iris.multinomialProbabilities.enumerated() {
            for (column, value) in expected.enumerated() {
                #expect(abs(ours[row, column] - value) < 2e-3, "row \(row)")
            }
        }
        let keep = iris.labels.indices.filter { iris.labels[$0] > 0 }
        let binary = try LogisticRegression.fit(
            dataset(keep.map { iris.x[$0] }, labels: keep.map { iris.labels[$0] }), validation: nil,
            options: LogisticRegression.Options())
        guard case .logistic(let model) = binary.model else {
            Issue.record("not a logistic model")
            return
        }
        #expect(model.isBinary)
        let binaryProbabilities = try #require(probabilities(try binary.model.predict(Matrix(keep.map { iris.x[$0] }))))
        for (row, expected) in iris.binaryProbabilities.enumerated() {
            #expect(abs(binaryProbabilities[row, 1] - expected[1]) < 2e-3, "row \(row)")
        }
    }

    @Test func kMeansInertiaIsWithinOnePercentOfScikitLearn() throws {
        let references = try #require(Self.references)
        var options = KMeans.Options()
        options.k = 3
        let trained = try KMeans.fit(dataset(references.wine.x), options: options)
        guard case .kmeans(let model) = trained.model else {
            Issue.record("not k-means")
            return
        }
        #expect(model.inertia <= references.wine.kmeans3Inertia * 1.01)
        #expect(trained.series["inertia"]?.count == 10)
    }

    @Test func mlpLearnsIrisAndRecordsSeries() throws {
        let references = try #require(Self.references)
        let data = dataset(references.iris.x, labels: references.iris.labels)
        var options = MultilayerPerceptron.Options()
        options.hidden = [16]
        options.lr = 0.01
        options.seed = 3
        let trained = try MultilayerPerceptron.fit(data, validation: data, options: options)
        let scores = try Evaluate.run(model: trained.model, input: data, metrics: [.accuracy])
        #expect((scores.first?.value.number ?? 0) > 0.95)
        let loss = try #require(trained.series["loss"])
        #expect(loss.count > 10)
        #expect((loss.last?.value ?? 1) < (loss.first?.value ?? 0))
        #expect(trained.series["val_accuracy"]?.count == loss.count)
    }

    @Test func mlpRegressesANumericTarget() throws {
        let x = (0..<200).map { [Double($0) / 100 - 1] }
        let data = Dataset(
            features: Matrix(x), columns: [FeatureColumn(name: "x", kind: .numeric)],
            target: Target(name: "y", values: x.map { 3 * $0[0] + 0.5 }, classNames: nil))
        var options = MultilayerPerceptron.Options()
        options.hidden = [8]
        options.lr = 0.01
        let trained = try MultilayerPerceptron.fit(data, validation: nil, options: options)
        #expect(trained.model.task == .regression)
        let r2 = try Evaluate.run(model: trained.model, input: data, metrics: [.r2]).first?.value.number ?? 0
        #expect(r2 > 0.98)
    }

    @Test(arguments: ["softmax", "mlp", "kmeans", "ridge"])
    func trainingIsDeterministicAndSurvivesSerialisation(_ model: String) throws {
        let references = try #require(Self.references)
        let data = dataset(references.iris.x, labels: references.iris.labels)
        var settings: [String: SettingValue] = ["seed": .int(11), "epochs": .int(20)]
        if model == "kmeans" { settings["k"] = .int(3) }
        if model == "softmax" { settings = ["solver": .string("adam"), "epochs": .int(20), "seed": .int(11)] }
        let first = try Train.run(model: model, settings: Settings(settings), input: data)
        let second = try Train.run(model: model, settings: Settings(settings), input: data)
        #expect(first.model == second.model)
        #expect(first.series == second.series)
        let decoded = try Model.decoded(from: try first.model.encoded())
        #expect(decoded == first.model)
        #expect(try decoded.predict(Matrix(references.iris.x)) == (try first.model.predict(Matrix(references.iris.x))))
    }

    /// A model whose training diverged holds NaN or infinite numbers; it must still store and load.
    @Test func aModelWithNonFiniteNumbersEncodesAndDecodes() throws {
        let references = try #require(Self.references)
        let data = dataset(references.iris.x, labels: references.iris.labels)
        guard case .linear(var linear) = try Train.run(model: "linear", settings: Settings([:]), input: data).model
        else {
            Issue.record("linear training gave another kind of model")
            return
        }
        linear.intercept = .nan
        linear.coefficients[0] = .infinity
        linear.coefficients[1] = -.infinity
        let decoded = try Model.decoded(from: try Model.linear(linear).encoded())
        guard case .linear(let back) = decoded else {
            Issue.record("decoded another kind of model")
            return
        }
        #expect(back.intercept.isNaN)
        #expect(Array(back.coefficients.prefix(2)) == [.infinity, -.infinity])
        #expect(Array(back.coefficients.dropFirst(2)) == Array(linear.coefficients.dropFirst(2)))
    }

    @Test func aDifferentSeedGivesADifferentNetwork() throws {
        let references = try #require(Self.references)
        let data = dataset(references.iris.x, labels: references.iris.labels)
        let a = try Train.run(model: "mlp", settings: Settings(["seed": .int(1), "epochs": .int(2)]), input: data)
        let b = try Train.run(model: "mlp", settings: Settings(["seed": .int(2), "epochs": .int(2)]), input: data)
        #expect(a.model != b.model)
    }

    @Test func badInputsAreClearErrors() throws {
        let one = dataset([[1], [2], [3]], labels: [1, 1, 1])
        #expect(throws: EngineError.self) { try Train.run(model: "logistic", settings: Settings(), input: one) }
        #expect(throws: EngineError.self) { try Train.run(model: "mlp", settings: Settings(), input: one) }
        let wide = dataset([[1, 2, 3], [4, 5, 7]], labels: [1, 2])
        #expect(throws: EngineError.self) { try Train.run(model: "linear", settings: Settings(), input: wide) }
        #expect(throws: Never.self) { try Train.run(model: "ridge", settings: Settings(), input: wide) }
        let few = dataset([[1], [2]])
        do {
            _ = try Train.run(model: "kmeans", settings: Settings(["k": .int(5)]), input: few)
            Issue.record("k larger than the rows was accepted")
        } catch let error as EngineError {
            #expect(error.message.contains("k (5) is larger than the number of rows (2)"))
        }
        let collinear = dataset([[1, 2], [2, 4], [3, 6], [4, 8]], labels: [1, 2, 3, 5])
        #expect(throws: EngineError.self) { try Train.run(model: "linear", settings: Settings(), input: collinear) }
        var missing = dataset([[1], [2], [3]], labels: [0, 1, 0])
        missing.features[1, 0] = .nan
        #expect(throws: EngineError.self) { try Train.run(model: "logistic", settings: Settings(), input: missing) }
    }

    @Test func divergenceIsAnErrorNotANaNModel() throws {
        // Features near single precision's limit overflow the network's squared loss.
        let x = (0..<100).map { [Double($0) * 1e30] }
        let data = Dataset(
            features: Matrix(x), columns: [FeatureColumn(name: "x", kind: .numeric)],
            target: Target(name: "y", values: x.map { $0[0] + 0.25 }, classNames: nil))
        #expect(throws: EngineError.self) {
            try Train.run(model: "mlp", settings: Settings(["epochs": .int(5)]), input: data)
        }
    }
}
