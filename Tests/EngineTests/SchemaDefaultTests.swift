import Engine
import Testing

/// A default is written once, in the schema; the engine runs with what the schema says.
@Suite struct SchemaDefaultTests {
    /// Defaults said in words: the operation works them out, and nothing can be read from them.
    static let describedInWords: Set<String> = [
        "load.delimiter", "evaluate.metrics", "train.depth", "train.criterion", "train.features",
    ]

    @Test func everyDefaultOfAValueReadsAsItsType() {
        for schema in Operations.schemas {
            let variants = schema.variants?.cases.map(\.name) ?? []
            for variant in [nil] + variants.map(Optional.some) {
                for spec in schema.settings(forVariant: variant) where spec.defaultValue != nil {
                    let name = "\(schema.name).\(spec.name)"
                    #expect(
                        (spec.defaultSetting == nil) == Self.describedInWords.contains(name),
                        "\(name): '\(spec.defaultValue ?? "")'")
                }
            }
        }
    }

    @Test func listsAndNumbersReadWhole() throws {
        let mlp = Train.schema.defaults(forVariant: "mlp")
        #expect(mlp["hidden"] == .list([.int(100)]))
        #expect(mlp["lr"] == .double(0.001))
        #expect(mlp["activation"] == .string("relu"))
        #expect(Split.schema.defaults()["stratify"] == .bool(false))
        #expect(Split.schema.defaults()["validation"] == .double(0))
        #expect(Synthetic.schema.defaults()["samples"] == .int(100))
    }

    /// The models' own fallbacks are the schema's: a step that gives no setting trains the same model
    /// whether its defaults come from the schema (as a run takes them) or from the model.
    @Test func modelsRunWithTheSchemasDefaults() throws {
        func defaults(_ model: String) -> Settings { Settings([:], defaults: Train.schema.defaults(forVariant: model)) }
        #expect(try MultilayerPerceptron.Options(defaults("mlp")) == MultilayerPerceptron.Options())
        #expect(try KMeans.Options(defaults("kmeans")) == KMeans.Options())
        var logistic = LogisticRegression.Options()
        logistic.multinomial = true
        #expect(try LogisticRegression.Options(multinomial: true, defaults("softmax")) == logistic)
        #expect(try defaults("ridge").double("alpha") == 1)
    }

    @Test func aSettingWithoutDefaultMustBeGiven() {
        #expect(throws: EngineError("'kind' is missing and has no default")) {
            try Settings([:], defaults: Synthetic.schema.defaults()).string("kind")
        }
    }
}
