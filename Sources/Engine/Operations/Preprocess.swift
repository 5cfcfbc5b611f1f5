/// `op: preprocess`: transforms fitted on one dataset and applied to others.
public enum Preprocess {
    public static let transforms = ["standardize", "minmax", "onehot", "impute"]

    public static let schema = OperationSchema(
        name: "preprocess", summary: "fit transforms on one dataset and apply them to others",
        settings: [
            .required("fit", .dataset, "the dataset the transforms learn from"),
            .required("apply", .datasets, "NAME: DATASET for each dataset to transform; gives STEP.NAME"),
            .optional("standardize", .columns, "scale to zero mean and unit variance"),
            .optional("minmax", .columns, "scale to [0, 1]"),
            .optional("onehot", .columns, "one column per category"),
            .optional("impute", .columns, "fill missing values with the mean (numbers) or mode (categories)"),
        ],
        outputs: .datasetsKeyedBy(setting: "apply"),
        constraints: [.atLeastOne(transforms)])
}
