/// The keys of each `train` model, with scikit-learn's defaults so results can be compared with it.
public enum LinearModel {
    public static let variant = Variants.Variant(
        name: "linear", summary: "least squares with intercept", task: .regression, settings: [])
}

public enum RidgeModel {
    public static let variant = Variants.Variant(
        name: "ridge", summary: "least squares with an L2 penalty", task: .regression,
        settings: [.optional("alpha", .nonNegative, default: "1.0", "L2 penalty strength")])
}

/// Settings shared by the two linear classifiers.
private let linearClassifierSettings: [SettingSpec] = [
    .optional("alpha", .nonNegative, default: "1.0", "L2 strength (scikit-learn's C = 1/alpha)"),
    .optional("solver", .choice(["lbfgs", "sgd", "adam"]), default: "lbfgs", "the optimizer"),
    .optional("iterations", .positiveInteger, default: "100", "L-BFGS iterations"),
    .optional("lr", .positive, default: "0.01", "learning rate (sgd, adam)"),
    .optional("epochs", .positiveInteger, default: "100", "passes over the data (sgd, adam)"),
    .optional("batch", .positiveInteger, default: "200", "mini-batch size (sgd, adam)"),
]

public enum LogisticModel {
    public static let variant = Variants.Variant(
        name: "logistic", summary: "logistic regression", task: .classification, settings: linearClassifierSettings)
}

public enum SoftmaxModel {
    public static let variant = Variants.Variant(
        name: "softmax", summary: "multinomial logistic regression", task: .classification,
        settings: linearClassifierSettings)
}

public enum MLPModel {
    public static let variant = Variants.Variant(
        name: "mlp", summary: "multilayer perceptron", task: [.classification, .regression],
        settings: [
            .optional("hidden", .list(.positiveInteger, minimumCount: 1), default: "[100]", "units per hidden layer"),
            .optional("activation", .choice(["relu", "tanh"]), default: "relu", "hidden activation"),
            .optional("optimizer", .choice(["adam", "sgd"]), default: "adam", "the optimizer"),
            .optional("lr", .positive, default: "0.001", "learning rate"),
            .optional("epochs", .positiveInteger, default: "200", "passes over the data"),
            .optional("batch", .positiveInteger, default: "200", "mini-batch size"),
            .optional("alpha", .nonNegative, default: "0.0001", "L2 penalty"),
            .optional("seed", .seed, default: "0", "random seed for initialisation and batches"),
        ])
}

public enum KMeansModel {
    public static let variant = Variants.Variant(
        name: "kmeans", summary: "k-means clustering", task: .clustering,
        settings: [
            .optional("k", .integer(Bounds(minimum: 2)), default: "8", "number of clusters"),
            .optional("restarts", .positiveInteger, default: "10", "initialisations tried; the best is kept"),
            .optional("iterations", .positiveInteger, default: "300", "Lloyd iterations per restart"),
            .optional("seed", .seed, default: "0", "random seed"),
        ])
}

/// The engine's version; it goes into every cache key, so that a new engine recomputes.
public enum EngineVersion {
    public static let current = "0.1.0"
}
