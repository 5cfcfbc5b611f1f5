/// `op: predict`: a model's predictions for a dataset, kept as a CSV artifact.
public enum Predict {
    public static let schema = OperationSchema(
        name: "predict", summary: "write a model's predictions as CSV",
        settings: [
            .required("model", .model, "the model"),
            .required("input", .dataset, "the rows to predict"),
        ],
        outputs: .artifact)
}
