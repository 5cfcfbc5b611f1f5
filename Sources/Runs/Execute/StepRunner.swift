import Engine
import Foundation
import Notebook

/// An output a later step can read.
public enum StepOutput: Sendable {
    case dataset(Dataset)
    case model(Model)

    var kind: String {
        switch self {
        case .dataset: "dataset"
        case .model: "model"
        }
    }
}

/// What executing one step produced.
struct StepResult: Sendable {
    struct Artifact: Sendable {
        var name: String
        var bytes: [UInt8]
        /// Where a cache hit puts the file back; nil for one that lives only in the store.
        var place: StepEntry.Artifact.Place?
    }

    /// Outputs by name; `nil` is the step's own output (`data`, `mlp`).
    var outputs: [String?: StepOutput] = [:]
    /// Metric values without the step's prefix: `accuracy`.
    var metrics: [MetricRecord] = []
    var series: [String: [RecordedPoint]] = [:]
    var datasets: [DatasetRecord] = []
    var artifacts: [Artifact] = []
    /// What the step printed, bounded.
    var log: String?
}

/// Runs one planned step against the engine, turning its checked configuration into typed calls.
struct StepRunner {
    let directory: URL
    let progress: (@Sendable (TrainingEvent) -> Void)?
    /// What a command step is told; nil where no command can run.
    var external: ExternalStep.Context? = nil
    /// The SHA-256 of each file the step reads as its cache key took it, by path as the step gives it.
    var fileHashes: [String: String] = [:]
    /// Each of those files' status when it was hashed.
    var fileStatuses: [String: FileStatus] = [:]

    /// `input(step, output)` gives an earlier step's output.
    func run(_ step: PlannedStep, input: (StepReference) throws -> StepOutput) throws -> StepResult {
        guard let kind = step.kind else { throw EngineError("unknown operation '\(step.op)'") }
        return try withoutActuallyEscaping(input) { input in
            let inputs = Inputs(step: step, resolve: input)
            switch kind {
            case .load: return try load(step)
            case .synthetic: return try synthetic(settings(of: step, kind))
            case .split: return try split(settings(of: step, kind), inputs)
            case .preprocess: return try preprocess(step.configuration, inputs)
            case .train: return try train(step.configuration, settings(of: step, kind), inputs)
            case .evaluate: return try evaluate(step.configuration, inputs)
            case .predict: return try predict(step, inputs)
            case .command:
                guard let external else { throw EngineError("command step '\(step.name)' has no run context") }
                return try ExternalStep.run(step, in: directory, context: external)
            case .code:
                guard let external, let code = step.code else {
                    throw EngineError("code step '\(step.name)' has no run context")
                }
                let reads = try ExternalStep.strings(step.configuration["reads"]).map { reference in
                    (reference: reference, dataset: try inputs.dataset(named: reference))
                }
                return try CodeStep.run(
                    step, CodeStep.Inputs(code: code, reads: reads),
                    in: directory, context: external)
            }
        }
    }

    /// The earlier steps' outputs that a step's keys refer to.
    struct Inputs {
        let step: PlannedStep
        let resolve: (StepReference) throws -> StepOutput

        /// The dataset the reference under `key` names.
        func dataset(_ key: String) throws -> Dataset {
            guard let text = step.configuration[key]?.string else {
                throw EngineError("step '\(step.name)' needs '\(key)'")
            }
            return try dataset(named: text)
        }

        func dataset(named text: String) throws -> Dataset {
            guard case .dataset(let dataset) = try output(text) else {
                throw EngineError("'\(text)' is a model, not a dataset")
            }
            return dataset
        }

        /// The model the reference under `key` names.
        func model(_ key: String) throws -> Model {
            let text = step.configuration[key]?.string ?? ""
            guard case .model(let model) = try output(text) else {
                throw EngineError("'\(text)' is a dataset, not a model")
            }
            return model
        }

        private func output(_ text: String) throws -> StepOutput {
            guard let reference = StepReference(text) else {
                throw EngineError("'\(text)' names no output of an earlier step")
            }
            return try resolve(reference)
        }
    }

    /// The step's settings as the engine takes them: the values given, over the schema's defaults for its
    /// kind (and for `train`, its model), so that no default is written twice.
    private func settings(of step: PlannedStep, _ kind: OperationKind) -> Settings {
        let schema = kind.schema
        let variant = schema.variants.flatMap { step.configuration[$0.key]?.string }
        let passed = Set(
            schema.settings(forVariant: variant).filter { spec in
                switch spec.type {
                case .dataset, .model, .datasets: false
                default: spec.name != schema.variants?.key
                }
            }.map(\.name))
        var values: [String: SettingValue] = [:]
        for entry in step.configuration.entries ?? [] where passed.contains(entry.key) {
            if let value = settingValue(entry.value) { values[entry.key] = value }
        }
        return Settings(values, defaults: schema.defaults(forVariant: variant))
    }

    private func settingValue(_ node: ConfigNode) -> SettingValue? {
        switch node.value {
        case .int(let value): .int(value)
        case .double(let value): .double(value)
        case .bool(let value): .bool(value)
        case .string(let value): .string(value)
        case .list(let items): .list(items.compactMap(settingValue))
        default: nil
        }
    }
}
