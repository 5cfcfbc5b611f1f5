import Engine
import Testing

/// The operation schemas that `athanor check` applies: they must agree with DESIGN §4.
@Suite struct SchemaTests {
    @Test func everyOperationOfTheDesignIsDeclaredOnce() {
        let names = Operations.schemas.map(\.name)
        #expect(names.sorted() == ["evaluate", "load", "predict", "preprocess", "split", "synthetic", "train"])
        #expect(Set(names).count == names.count)
    }

    @Test func trainOffersEveryModelWithScikitLearnDefaults() throws {
        let variants = try #require(Train.schema.variants)
        #expect(
            variants.cases.map(\.name) == [
                "linear", "ridge", "logistic", "softmax", "mlp", "kmeans", "decision_tree", "random_forest",
                "gradient_boosting",
            ])
        let mlp = Train.schema.settings(forVariant: "mlp")
        let defaults = Dictionary(
            uniqueKeysWithValues: mlp.compactMap { spec in spec.defaultValue.map { (spec.name, $0) } })
        #expect(defaults["hidden"] == "[100]")
        #expect(defaults["lr"] == "0.001")
        #expect(defaults["epochs"] == "200")
        #expect(defaults["batch"] == "200")
        #expect(defaults["alpha"] == "0.0001")
        #expect(Train.schema.settings(forVariant: "kmeans").contains { $0.name == "k" && $0.defaultValue == "8" })
        let boosting = Train.schema.defaults(forVariant: "gradient_boosting")
        #expect(
            boosting == [
                "iterations": .int(100), "lr": .double(0.1), "leaves": .int(31), "min_leaf": .int(20),
                "l2": .double(0), "bins": .int(255), "early_stopping": .string("auto"), "validation": .double(0.1),
                "seed": .int(0),
            ])
        // Boosting's own `validation`, which takes a fraction too, replaces the common one.
        #expect(Train.schema.settings(forVariant: "gradient_boosting").filter { $0.name == "validation" }.count == 1)
    }

    /// Only boosting redeclares one, `validation`, to take a fraction as well as a dataset.
    @Test func noModelRedeclaresACommonTrainKeyButBoostingsValidation() throws {
        let common = Set(Train.schema.settings.map(\.name))
        for variant in try #require(Train.schema.variants).cases {
            let names = variant.settings.map(\.name)
            let expected: Set<String> = variant.name == "gradient_boosting" ? ["validation"] : []
            #expect(common.intersection(names) == expected, "\(variant.name)")
            #expect(Set(names).count == names.count, "\(variant.name)")
        }
    }

    @Test func defaultMetricsSuitTheTask() {
        for task in [Task.classification, .regression, .clustering] {
            let metrics = Metric.defaults(for: task)
            #expect(!metrics.isEmpty)
            #expect(metrics.allSatisfy { !$0.task.isDisjoint(with: task) })
        }
        #expect(Metric.allCases.count == 24)
    }

    @Test func boundsHonourOpenAndClosedEnds() {
        #expect(!SettingType.fractionBounds.contains(0))
        #expect(SettingType.fractionBounds.contains(0.5))
        #expect(!SettingType.fractionBounds.contains(1))
        #expect(Bounds<Int>(minimum: 2).contains(2))
        #expect(!Bounds<Int>(minimum: 2).contains(1))
    }

    @Test func trainingSeriesFollowTheDesign() {
        #expect(
            TrainingSeries.names(for: .classification, withValidation: true) == ["loss", "val_loss", "val_accuracy"])
        #expect(TrainingSeries.names(for: .regression, withValidation: true) == ["loss", "val_loss", "val_rmse"])
        #expect(TrainingSeries.names(for: .regression, withValidation: false) == ["loss"])
    }
}

extension SettingType {
    static var fractionBounds: Bounds<Double> {
        guard case .number(let bounds) = SettingType.fraction else { return Bounds() }
        return bounds
    }
}

/// The defaults a schema documents are the defaults the code uses.
@Suite struct SchemaDefaultsTests {
    func documented(_ model: String) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: Train.schema.settings(forVariant: model).compactMap { spec in
                spec.defaultValue.map { (spec.name, $0) }
            })
    }

    @Test func mlpDefaultsMatchItsOptions() {
        let options = MultilayerPerceptron.Options()
        let defaults = documented("mlp")
        #expect(defaults["hidden"] == "[\(options.hidden.map(String.init).joined(separator: ", "))]")
        #expect(defaults["activation"] == options.activation.rawValue)
        #expect(defaults["optimizer"] == options.optimizer)
        #expect(Double(defaults["lr"] ?? "") == options.lr)
        #expect(Int(defaults["epochs"] ?? "") == options.epochs)
        #expect(Int(defaults["batch"] ?? "") == options.batch)
        #expect(Double(defaults["alpha"] ?? "") == options.alpha)
        #expect(Int(defaults["seed"] ?? "") == options.seed)
    }

    @Test(arguments: ["logistic", "softmax"])
    func linearClassifierDefaultsMatchTheirOptions(_ model: String) {
        let options = LogisticRegression.Options()
        let defaults = documented(model)
        #expect(Double(defaults["alpha"] ?? "") == options.alpha)
        #expect(defaults["solver"] == options.solver)
        #expect(Int(defaults["iterations"] ?? "") == options.iterations)
        #expect(Double(defaults["lr"] ?? "") == options.lr)
        #expect(Int(defaults["epochs"] ?? "") == options.epochs)
        #expect(Int(defaults["batch"] ?? "") == options.batch)
    }

    @Test func kMeansDefaultsMatchItsOptions() {
        let options = KMeans.Options()
        let defaults = documented("kmeans")
        #expect(Int(defaults["k"] ?? "") == options.k)
        #expect(Int(defaults["restarts"] ?? "") == options.restarts)
        #expect(Int(defaults["iterations"] ?? "") == options.iterations)
    }
}
