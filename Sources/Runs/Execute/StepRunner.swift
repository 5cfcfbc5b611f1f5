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
    var series: [String: [SeriesPoint]] = [:]
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
    func run(_ step: PlannedStep, input: (String, String?) throws -> StepOutput) throws -> StepResult {
        let config = step.configuration
        func dataset(_ key: String) throws -> Dataset {
            guard let reference = config[key]?.string else { throw EngineError("step '\(step.name)' needs '\(key)'") }
            return try resolveDataset(reference, input)
        }
        var result = StepResult()
        switch step.op {
        case "load":
            guard let path = config["path"]?.string else { throw EngineError("'path' is missing") }
            let url = URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL
            let options = Load.Options(
                path: path, target: config["target"]?.string, columns: strings(config["columns"]),
                drop: strings(config["drop"]), delimiter: delimiter(config["delimiter"]),
                missing: strings(config["missing"]))
            // The file is mapped, not copied, while it is parsed. The cache key hashed it just before:
            // if it still has the status it had then, that hash is its content's; if not, it changed
            // in between, and storing the new content under the old key would poison the cache.
            let loaded = try Load.run(options, at: url.path)
            let hashed: (sha256: String, bytes: Int)
            if let expected = fileHashes[path], let seen = fileStatuses[path] {
                guard (try? FileSystem.status(url.path)) == seen else {
                    throw EngineError("the file changed while this step read it; run again", file: path)
                }
                hashed = (expected, seen.size)
            } else {
                do {
                    hashed = try ContentHash.sha256(fileAt: url.path)
                } catch {
                    throw EngineError("the file cannot be read; check its permissions", file: path)
                }
            }
            result.outputs[nil] = .dataset(loaded)
            result.datasets.append(
                DatasetRecord(
                    step: step.name, path: path, sha256: hashed.sha256, rows: loaded.rowCount,
                    columns: loaded.columnCount + (loaded.target == nil ? 0 : 1), bytes: hashed.bytes))
        case "synthetic":
            let generated = try Synthetic.generate(
                kind: config["kind"]?.string ?? "blobs", samples: int(config["samples"]) ?? 100,
                features: int(config["features"]) ?? 2, classes: int(config["classes"]) ?? 2,
                noise: double(config["noise"]) ?? 0, seed: int(config["seed"]) ?? 0)
            result.outputs[nil] = .dataset(generated)
        case "split":
            let parts = try Split.run(
                try dataset("input"), test: double(config["test"]) ?? 0.25,
                validation: double(config["validation"]) ?? 0, stratify: config["stratify"]?.value == .bool(true),
                seed: int(config["seed"]) ?? 0)
            result.outputs["train"] = .dataset(parts.train)
            result.outputs["test"] = .dataset(parts.test)
            if let validation = parts.validation { result.outputs["validation"] = .dataset(validation) }
        case "preprocess":
            let fitted = try Preprocess.fit(
                try dataset("fit"), standardize: selection(config["standardize"]), minmax: selection(config["minmax"]),
                onehot: selection(config["onehot"]), impute: selection(config["impute"]),
                strategy: try imputeStrategy(config))
            for entry in config["apply"]?.entries ?? [] {
                guard let reference = entry.value.string else { continue }
                result.outputs[entry.key] = .dataset(try fitted.apply(try resolveDataset(reference, input)))
            }
        case "train":
            let model = config["model"]?.string ?? ""
            var settings: [String: SettingValue] = [:]
            for entry in config.entries ?? []
            where !["op", "model", "input", "validation", "description", "cache"].contains(entry.key) {
                if let value = settingValue(entry.value) { settings[entry.key] = value }
            }
            let validation = try config["validation"].map { _ in try dataset("validation") }
            let trained = try Train.run(
                model: model, settings: Settings(settings), input: try dataset("input"), validation: validation,
                progress: progress)
            result.outputs[nil] = .model(trained.model)
            result.series = trained.series
        case "evaluate":
            let model = try resolveModel(config["model"]?.string ?? "", input)
            let metrics: [Metric]? = config["metrics"].map { node in
                strings(node)?.compactMap(Metric.init(rawValue:)) ?? []
            }
            for score in try Evaluate.run(model: model, input: try dataset("input"), metrics: metrics) {
                switch score.value {
                case .number(let value):
                    result.metrics.append(MetricRecord(name: score.name, value: value))
                case .matrix(let cells, let labels):
                    let json = try JSONSerialization.data(
                        withJSONObject: ["labels": labels, "matrix": cells], options: [.sortedKeys])
                    result.metrics.append(
                        MetricRecord(name: score.name, value: nil, json: String(decoding: json, as: UTF8.self)))
                }
            }
        case "predict":
            let model = try resolveModel(config["model"]?.string ?? "", input)
            let csv = try Predict.run(model: model, input: try dataset("input"))
            result.artifacts.append(StepResult.Artifact(name: "\(step.name).csv", bytes: Array(csv.utf8), place: nil))
        case "run":
            guard let external else { throw EngineError("command step '\(step.name)' has no run context") }
            result = try ExternalStep.run(step, in: directory, context: external)
        default:
            throw EngineError("unknown operation '\(step.op)'")
        }
        return result
    }

    private func resolveDataset(_ reference: String, _ input: (String, String?) throws -> StepOutput) throws -> Dataset
    {
        let (step, output) = split(reference)
        guard case .dataset(let dataset) = try input(step, output) else {
            throw EngineError("'\(reference)' is a model, not a dataset")
        }
        return dataset
    }

    private func resolveModel(_ reference: String, _ input: (String, String?) throws -> StepOutput) throws -> Model {
        let (step, output) = split(reference)
        guard case .model(let model) = try input(step, output) else {
            throw EngineError("'\(reference)' is a dataset, not a model")
        }
        return model
    }

    private func split(_ reference: String) -> (String, String?) {
        let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
        return (parts.first ?? reference, parts.count > 1 ? parts[1] : nil)
    }

    private func int(_ node: ConfigNode?) -> Int? {
        if case .int(let value)? = node?.value { return value }
        return nil
    }

    private func double(_ node: ConfigNode?) -> Double? {
        switch node?.value {
        case .int(let value)?: Double(value)
        case .double(let value)?: value
        default: nil
        }
    }

    private func strings(_ node: ConfigNode?) -> [String]? {
        guard case .list(let items)? = node?.value else { return nil }
        return items.compactMap(\.string)
    }

    private func delimiter(_ node: ConfigNode?) -> Character? {
        guard let text = node?.string else { return nil }
        return text == "\\t" ? "\t" : text.first
    }

    /// `impute`'s `strategy` with its `fill`, or nil for the default.
    private func imputeStrategy(_ config: ConfigNode) throws -> Preprocess.Strategy? {
        guard let name = config["strategy"]?.string else { return nil }
        let fill: Preprocess.Strategy.Value? =
            switch config["fill"]?.value {
            case .int(let number)?: .number(Double(number))
            case .double(let number)?: .number(number)
            case .string(let text)?: .text(text)
            default: nil
            }
        return try Preprocess.Strategy(name: name, fill: fill)
    }

    private func selection(_ node: ConfigNode?) -> Preprocess.Selection? {
        guard let node else { return nil }
        if node.string == "all" { return .all }
        return strings(node).map(Preprocess.Selection.columns)
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
