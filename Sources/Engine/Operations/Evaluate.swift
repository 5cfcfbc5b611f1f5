/// `op: evaluate`: score a model on a dataset.
public enum Evaluate {
    public static let schema = OperationSchema(
        name: "evaluate", summary: "score a model on a dataset",
        settings: [
            .required("model", .model, "the model to score"),
            .required("input", .dataset, "the data to score it on"),
            .optional("metrics", .metrics, default: "by model kind", "the metrics to compute"),
            .optional(
                "positive", .text,
                "the class that precision, recall, f1 and specificity score against the rest, and that roc_curve, "
                    + "precision_recall_curve and average_precision rank (the second class when omitted)"),
        ],
        outputs: .metrics)
}
