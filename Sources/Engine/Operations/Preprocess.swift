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
            .optional(
                "impute", .columns,
                "fill missing values: by default with the mean (numbers) or the most frequent value (categories)"),
            .optional(
                "strategy", .choice(Strategy.names),
                "what impute fills with: mean, median, most_frequent (the smallest of the most frequent values) "
                    + "or constant (the value of 'fill')"),
            .optional("fill", .text, "the value of strategy constant: a number for numeric columns, text for others"),
        ],
        outputs: .datasetsKeyedBy(setting: "apply"),
        constraints: [
            .atLeastOne(transforms), .requires("strategy", "impute"),
            .exactlyWhen("fill", setting: "strategy", is: "constant"),
        ])

    /// How `impute` fills a column's missing values, as scikit-learn's `SimpleImputer` does.
    public enum Strategy: Sendable, Hashable {
        /// The mean of the values present; numeric columns only.
        case mean
        /// The middle value present, or the mean of the two middle ones; numeric columns only.
        case median
        /// The most frequent value present; on a tie the smallest number, or the first level.
        case mostFrequent
        /// One given value.
        case constant(Value)

        /// A `fill` value as the notebook gives it.
        public enum Value: Sendable, Hashable {
            case number(Double)
            case text(String)
        }

        /// The names a notebook writes, in the schema's order.
        public static let names = ["mean", "median", "most_frequent", "constant"]

        /// The strategy named `name`, with `fill` for `constant`.
        ///
        /// - Throws: `EngineError` for an unknown name or `constant` without a fill.
        public init(name: String, fill: Value?) throws {
            switch name {
            case "mean": self = .mean
            case "median": self = .median
            case "most_frequent": self = .mostFrequent
            case "constant":
                guard let fill else {
                    throw EngineError("strategy 'constant' needs 'fill': the value that replaces missing ones")
                }
                self = .constant(fill)
            default:
                throw EngineError(
                    "unknown impute strategy '\(name)'; strategies are \(Self.names.joined(separator: ", "))")
            }
        }

        var name: String {
            switch self {
            case .mean: "mean"
            case .median: "median"
            case .mostFrequent: "most_frequent"
            case .constant: "constant"
            }
        }
    }
}
