import Engine

/// What a step runs: one of the engine's operations (`op: NAME`) or a command (`run: COMMAND`).
///
/// Each kind answers with its schema, and every name, key and default is read from that schema, never
/// written again here. Code steps (`python step NAME`) will be another kind: the switches over kinds are
/// exhaustive, so that the compiler lists every place a new kind must be handled.
public enum OperationKind: Sendable, Hashable {
    case load
    case synthetic
    case split
    case preprocess
    case train
    case evaluate
    case predict
    /// `run: COMMAND`, through `/bin/sh -c` (DESIGN §5).
    case command

    /// The engine's operations, in the order of `Operations.schemas`.
    public static let operations: [OperationKind] = [
        .load, .synthetic, .split, .preprocess, .train, .evaluate, .predict,
    ]

    /// The keys the kind accepts, their types and defaults, and the outputs it gives later steps.
    public var schema: OperationSchema {
        switch self {
        case .load: Load.schema
        case .synthetic: Synthetic.schema
        case .split: Split.schema
        case .preprocess: Preprocess.schema
        case .train: Train.schema
        case .evaluate: Evaluate.schema
        case .predict: Predict.schema
        case .command: ExternalStep.schema
        }
    }

    /// The word a run records (`StepRecord.op`): the operation's name, or `run` for a command.
    public var name: String { schema.name }

    /// The key that names the kind in a step's body: `op`, or `run` for a command.
    public var keyword: String { self == .command ? "run" : "op" }

    /// The engine operation `op: name` names; nil for a name no schema has.
    public init?(op name: String) {
        guard let kind = Self.operations.first(where: { $0.schema.name == name }) else { return nil }
        self = kind
    }

    /// The kind a step's body names: its `op:` value, else a command when it has `run:`; nil when it names
    /// neither (the checker reports why).
    public init?(configuration: ConfigNode) {
        if let op = configuration["op"] {
            guard let name = op.string else { return nil }
            self.init(op: name)
        } else if configuration["run"] != nil {
            self = .command
        } else {
            return nil
        }
    }

    /// The kind a run recorded as `StepRecord.op`; nil for a name this version does not know.
    public init?(recorded name: String) {
        if name == OperationKind.command.name {
            self = .command
        } else {
            self.init(op: name)
        }
    }
}
