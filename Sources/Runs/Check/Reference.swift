import Engine

/// A step's reference to an earlier step's output: `data`, `split.train`.
struct Reference: Hashable {
    var step: String
    var output: String?

    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let first = parts.first, !first.isEmpty else { return nil }
        step = String(first)
        output = parts.count == 2 ? String(parts[1]) : nil
        if output?.isEmpty == true { return nil }
    }

    var text: String { output.map { "\(step).\($0)" } ?? step }
}

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
    /// The metrics it records; nil when any name may be recorded (external commands, unknown ops).
    var metrics: [String]?
    /// False when the step itself did not check out; references to it are not reported again.
    var isKnown: Bool

    var outputNames: [String] {
        outputs.keys.map { $0.map { "\(name).\($0)" } ?? name }.sorted()
    }
}
