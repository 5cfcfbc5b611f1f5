/// `op: synthetic`: generated data for demos and tests, seeded.
public enum Synthetic {
    public static let kinds = ["blobs", "moons", "circles", "regression", "classification"]

    public static let schema = OperationSchema(
        name: "synthetic", summary: "generate a seeded dataset",
        settings: [
            .required("kind", .choice(kinds), "the shape of the data"),
            .optional("samples", .positiveInteger, default: "100", "number of rows"),
            .optional("features", .positiveInteger, default: "2", "number of feature columns"),
            .optional("classes", .integer(Bounds(minimum: 2)), default: "2", "number of classes or blobs"),
            .optional("noise", .nonNegative, default: "0.0", "standard deviation of added noise"),
            .optional("seed", .seed, default: "0", "random seed"),
        ],
        outputs: .dataset)
}
