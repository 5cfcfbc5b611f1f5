/// `op: train`: fit a model; its keys depend on `model:`, each model declaring its own.
public enum Train {
    public static let models: [Variants.Variant] = [
        LinearModel.variant, RidgeModel.variant, LogisticModel.variant, SoftmaxModel.variant, MLPModel.variant,
        KMeansModel.variant,
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
}
