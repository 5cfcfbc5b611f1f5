/// `op: train`: fit a model; its keys depend on `model:`, each model declaring its own.
public enum Train {
    public static let models: [Variants.Variant] = [
        LinearRegression.linearVariant, LinearRegression.ridgeVariant, LogisticRegression.logisticVariant,
        LogisticRegression.softmaxVariant, MultilayerPerceptron.variant, KMeans.variant,
        Forest.treeVariant, Forest.forestVariant, GradientBoosting.variant,
    ]

    public static let schema = OperationSchema(
        name: "train", summary: "fit a model",
        settings: [
            .required("model", .choice(models.map(\.name)), "the kind of model"),
            .required("input", .dataset, "the training data"),
            .optional("validation", .dataset, "data scored after each epoch, recorded as val_* series"),
        ],
        outputs: .model,
        variants: Variants(key: "model", cases: models))

    /// What a model of this kind predicts.
    public static func task(ofModel name: String) -> Task? {
        models.first { $0.name == name }?.task
    }

    /// Fits the model `model` names on `input`, scoring `validation` after each epoch.
    public static func run(
        model: String, settings: Settings, input: Dataset, validation: Dataset? = nil,
        progress: ((TrainingEvent) -> Void)? = nil
    ) throws -> Trained {
        switch model {
        case "linear":
            return Trained(model: .linear(try LinearRegression.fit(input, alpha: 0)), series: [:])
        case "ridge":
            let fitted = try LinearRegression.fit(input, alpha: try settings.double("alpha", default: 1))
            return Trained(model: .linear(fitted), series: [:])
        case "logistic", "softmax":
            let options = try LogisticRegression.Options(multinomial: model == "softmax", settings)
            return try LogisticRegression.fit(input, validation: validation, options: options, progress: progress)
        case "mlp":
            let options = try MultilayerPerceptron.Options(settings)
            return try MultilayerPerceptron.fit(input, validation: validation, options: options, progress: progress)
        case "kmeans":
            return try KMeans.fit(input, options: try KMeans.Options(settings), progress: progress)
        case "decision_tree", "random_forest":
            let forest = model == "random_forest"
            return try Forest.fit(input, options: try Forest.Options(forest: forest, settings), forest: forest)
        case "gradient_boosting":
            let options = try GradientBoosting.Options(settings)
            return try GradientBoosting.fit(input, validation: validation, options: options, progress: progress)
        default:
            throw EngineError("unknown model '\(model)'")
        }
    }
}
