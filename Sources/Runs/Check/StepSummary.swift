import Engine

/// What a checked step offers the steps after it.
struct StepSummary {
    enum Kind: Equatable {
        case dataset
        case model
    }

    var name: String
    var line: Int
    /// Outputs by name; `nil` is the step's own name (`data`, `mlp`).
    var outputs: [String?: Kind]
    /// The task of a trained model.
    var task: Engine.Task?
    /// How many classes its target has, when the notebook says (generated data and what is made of it).
    var classes: Int?
    /// The metrics it records; nil when any name may be recorded (external commands, unknown ops).
    var metrics: [String]?
    /// False when the step itself did not check out; references to it are not reported again.
    var isKnown: Bool

    var outputNames: [String] {
        outputs.keys.map { $0.map { "\(name).\($0)" } ?? name }.sorted()
    }
}
