import Engine
import Notebook

/// What a step runs: one of the engine's operations (`op: NAME`) or a command (`run: COMMAND`).
///
/// Each kind answers with its schema, and every name, key and default is read from that schema, never
/// written again here. The switches over kinds are exhaustive, so that the compiler lists every place a
/// new kind must be handled.
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
    /// A code step, ```` ```python step NAME ````: code written in the notebook, with `#|` options.
    case code(CodeLanguage)

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
        case .code(let language): CodeStep.schema(for: language)
        }
    }

    /// Whether the step runs the user's own code, a command or a code step: never from a report unless
    /// allowed, and its cache key holds the run's parameters and its `inputs:`.
    public var runsUserCode: Bool {
        switch self {
        case .command, .code: true
        case .load, .synthetic, .split, .preprocess, .train, .evaluate, .predict: false
        }
    }

    /// The word a run records (`StepRecord.op`): the operation's name, or `run` for a command.
    public var name: String { schema.name }

    /// The key that names the kind in a step's body: `op`, or `run` for a command; nil for a code step,
    /// which its fence line names.
    public var keyword: String? {
        switch self {
        case .command: "run"
        case .code: nil
        case .load, .synthetic, .split, .preprocess, .train, .evaluate, .predict: "op"
        }
    }

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

    /// The kind of `step`: a code step's language, else what its body names (`init(configuration:)`).
    public init?(step: StepBlock, configuration: ConfigNode) {
        if let code = step.code {
            self = .code(code.language)
        } else {
            self.init(configuration: configuration)
        }
    }

    /// The kind a run recorded as `StepRecord.op`; nil for a name this version does not know.
    public init?(recorded name: String) {
        if name == OperationKind.command.name {
            self = .command
        } else if let language = CodeLanguage(rawValue: name) {
            self = .code(language)
        } else {
            self.init(op: name)
        }
    }
}
