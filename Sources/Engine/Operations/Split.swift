/// `op: split`: train and test (and validation) parts of a dataset.
public enum Split {
    public static let schema = OperationSchema(
        name: "split", summary: "split a dataset into train, test and validation parts",
        settings: [
            .required("input", .dataset, "the dataset to split"),
            .optional("test", .fraction, default: "0.25", "fraction of rows for the test part"),
            .optional(
                "validation", .number(Bounds(minimum: 0, maximum: 1, includesMaximum: false)), default: "0",
                "fraction of rows for a validation part"),
            .optional("stratify", .boolean, default: "false", "keep class proportions in each part"),
            .optional("seed", .seed, default: "0", "random seed for the shuffle"),
        ],
        outputs: .datasets(always: ["train", "test"], when: [(output: "validation", setting: "validation")]),
        constraints: [.sumBelow(["test", "validation"], limit: 1)])
}
