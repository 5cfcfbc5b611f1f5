/// The metrics `evaluate` can compute, each meaningful for one kind of task.
public enum Metric: String, CaseIterable, Sendable {
    case accuracy
    case precisionMacro = "precision_macro"
    case recallMacro = "recall_macro"
    case f1Macro = "f1_macro"
    case precisionWeighted = "precision_weighted"
    case recallWeighted = "recall_weighted"
    case f1Weighted = "f1_weighted"
    case logLoss = "log_loss"
    case rocAUC = "roc_auc"
    /// Ranking scores of a binary classifier's positive class (`positive:`, else the second class).
    case averagePrecision = "average_precision"
    case rocCurve = "roc_curve"
    case precisionRecallCurve = "precision_recall_curve"
    /// Scores of the class `positive:` names against the rest, as scikit-learn's `pos_label`.
    case precision
    case recall
    case f1
    case specificity
    case confusion
    /// Precision, recall, F1 and support of every class (`classification_report`).
    case perClass = "per_class"
    case mse
    case rmse
    case mae
    case r2
    case inertia
    case silhouette

    public var task: Task {
        switch self {
        case .mse, .rmse, .mae, .r2: .regression
        case .inertia, .silhouette: .clustering
        default: .classification
        }
    }

    /// What `evaluate` computes when a step names no metrics.
    public static func defaults(for task: Task) -> [Metric] {
        var metrics: [Metric] = []
        if task.contains(.classification) { metrics += [.accuracy, .f1Macro, .confusion, .perClass] }
        if task.contains(.regression) { metrics += [.mse, .rmse, .mae, .r2] }
        if task.contains(.clustering) { metrics += [.inertia, .silhouette] }
        return metrics
    }
}

/// The series a training step records, indexed by epoch or iteration.
public enum TrainingSeries {
    /// `loss` always; the validation series only when the step has a validation set.
    public static func names(for task: Task, withValidation: Bool) -> [String] {
        guard !task.contains(.clustering) else { return ["inertia"] }
        var names = ["loss"]
        if withValidation {
            names.append("val_loss")
            if task.contains(.classification) { names.append("val_accuracy") }
            if task.contains(.regression) { names.append("val_rmse") }
        }
        return names
    }
}

extension Metric {
    /// Whether the metric is one number (a confusion matrix is not), as an inline result needs.
    public var isScalar: Bool { ![.confusion, .perClass, .rocCurve, .precisionRecallCurve].contains(self) }

    /// Whether the metric ranks one class against the other, so that it needs a target of two classes.
    public var needsBinaryTarget: Bool { [.averagePrecision, .rocCurve, .precisionRecallCurve].contains(self) }

    /// What a non-scalar metric is, for a message: a matrix, a table or a curve.
    public var shape: String {
        switch self {
        case .confusion: "matrix"
        case .rocCurve, .precisionRecallCurve: "curve"
        case .perClass: "table"
        default: "number"
        }
    }

    /// Whether the metric scores one class against the rest, so that `evaluate` needs `positive:`.
    public var needsPositiveClass: Bool { [.precision, .recall, .f1, .specificity].contains(self) }

    /// The metrics that apply to a model of `task`: what a did-you-mean may offer.
    public static func valid(for task: Task) -> [Metric] {
        allCases.filter { !$0.task.isDisjoint(with: task) }
    }
}
