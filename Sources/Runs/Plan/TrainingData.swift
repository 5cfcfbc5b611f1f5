import Notebook

/// Where a model's training data came from as raw columns, the form a client sends: the dataset that fed its
/// chain of fitted transforms.
///
/// From the model's `input`, back through each `preprocess` that produced it (to the dataset it was applied to),
/// to a dataset that only `load` and `split` made: a split's train part when the split came before the
/// transforms (its rows are the ones the model learnt from), else the whole loaded table.
public struct TrainingData: Sendable, Hashable {
    /// The model step.
    public var model: String
    /// The raw dataset: `split.train`, `data`.
    public var dataset: StepReference
    /// The step that read the file (whose CSV options read new data the same way); nil for synthetic data.
    public var load: String?

    /// The training data of `model` in `steps`; nil when it is not a `train` step or its data did not come from
    /// a `load` or `synthetic` step through splits and preprocessing (a code step's output, say).
    public static func of(model: String, in steps: [PlannedStep]) -> TrainingData? {
        let byName = Dictionary(steps.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        guard let trained = byName[model], trained.kind == .train,
            var reference = trained.configuration["input"]?.string.flatMap(StepReference.init)
        else { return nil }
        for _ in 0..<steps.count + 1 {
            guard let step = byName[reference.step] else { return nil }
            if let origin = rawOrigin(reference, byName) {
                return TrainingData(model: model, dataset: reference, load: origin.isEmpty ? nil : origin)
            }
            switch step.kind {
            case .preprocess:
                guard let output = reference.output,
                    let source = step.configuration["apply"]?[output]?.string.flatMap(StepReference.init)
                else { return nil }
                reference = source
            case .split:
                guard let source = step.configuration["input"]?.string.flatMap(StepReference.init) else { return nil }
                reference = source
            default:
                return nil
            }
        }
        return nil
    }

    /// The raw training datasets of every model of `steps`, as references are written (`split.train`).
    public static func datasets(in steps: [PlannedStep]) -> Set<String> {
        Set(steps.filter { $0.kind == .train }.compactMap { of(model: $0.name, in: steps)?.dataset.description })
    }

    /// When only `load` or `synthetic` and splits made `reference`: the first step's name ("" for synthetic).
    private static func rawOrigin(_ reference: StepReference, _ steps: [String: PlannedStep]) -> String? {
        var current = reference
        for _ in 0..<steps.count + 1 {
            guard let step = steps[current.step] else { return nil }
            switch step.kind {
            case .load: return step.name
            case .synthetic: return ""
            case .split:
                guard let source = step.configuration["input"]?.string.flatMap(StepReference.init) else { return nil }
                current = source
            default: return nil
            }
        }
        return nil
    }
}
