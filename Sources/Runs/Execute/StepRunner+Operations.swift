import Engine
import Foundation
import Notebook

/// One function per engine operation: a checked configuration in, typed engine calls, a step's result out.
extension StepRunner {
    func load(_ step: PlannedStep) throws -> StepResult {
        let config = step.configuration
        guard let path = config["path"]?.string else { throw EngineError("'path' is missing") }
        let url = URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL
        let options = Load.Options(
            path: path, target: config["target"]?.string, columns: Self.strings(config["columns"]),
            drop: Self.strings(config["drop"]), delimiter: delimiter(config["delimiter"]),
            missing: Self.strings(config["missing"]))
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
        var result = StepResult()
        result.outputs[nil] = .dataset(loaded)
        result.datasets.append(
            DatasetRecord(
                step: step.name, path: path, sha256: hashed.sha256, rows: loaded.rowCount,
                columns: loaded.columnCount + (loaded.target == nil ? 0 : 1), bytes: hashed.bytes))
        return result
    }

    func synthetic(_ settings: Settings) throws -> StepResult {
        let generated = try Synthetic.generate(
            kind: try settings.string("kind"), samples: try settings.int("samples"),
            features: try settings.int("features"), classes: try settings.int("classes"),
            noise: try settings.double("noise"), seed: try settings.int("seed"))
        var result = StepResult()
        result.outputs[nil] = .dataset(generated)
        return result
    }

    func split(_ settings: Settings, _ inputs: Inputs) throws -> StepResult {
        let parts = try Split.run(
            try inputs.dataset("input"), test: try settings.double("test"),
            validation: try settings.double("validation"), stratify: try settings.bool("stratify"),
            seed: try settings.int("seed"))
        var result = StepResult()
        result.outputs["train"] = .dataset(parts.train)
        result.outputs["test"] = .dataset(parts.test)
        if let validation = parts.validation { result.outputs["validation"] = .dataset(validation) }
        return result
    }

    func preprocess(_ config: ConfigNode, _ inputs: Inputs) throws -> StepResult {
        let fitted = try Self.fitTransforms(config, on: try inputs.dataset("fit"))
        var result = StepResult()
        for entry in config["apply"]?.entries ?? [] {
            guard let reference = entry.value.string else { continue }
            result.outputs[entry.key] = .dataset(try fitted.apply(try inputs.dataset(named: reference)))
        }
        return result
    }

    func train(_ config: ConfigNode, _ settings: Settings, _ inputs: Inputs) throws -> StepResult {
        // A number under `validation` is a fraction to hold out (boosting), not a dataset.
        let validation = try config["validation"]?.string.map { _ in try inputs.dataset("validation") }
        let trained = try Train.run(
            model: config["model"]?.string ?? "", settings: settings, input: try inputs.dataset("input"),
            validation: validation, progress: progress)
        var result = StepResult()
        result.outputs[nil] = .model(trained.model)
        result.series = trained.series.mapValues { points in points.map { RecordedPoint($0.index, $0.value) } }
        if let importances = trained.model.featureImportances {
            let json = try JSONSerialization.data(
                withJSONObject: ["features": importances.map(\.feature), "importances": importances.map(\.importance)],
                options: [.sortedKeys])
            result.metrics.append(
                MetricRecord(name: "importances", value: nil, json: String(decoding: json, as: UTF8.self)))
        }
        return result
    }

    func evaluate(_ config: ConfigNode, _ inputs: Inputs) throws -> StepResult {
        let model = try inputs.model("model")
        let metrics: [Metric]? = config["metrics"].map { node in
            Self.strings(node)?.compactMap(Metric.init(rawValue:)) ?? []
        }
        let positive: String? =
            switch config["positive"]?.value {
            case .string(let text): text
            case .int(let number): String(number)
            case .double(let number): String(number)
            case .bool(let flag): String(flag)
            default: nil
            }
        var result = StepResult()
        let scores = try Evaluate.run(
            model: model, input: try inputs.dataset("input"), metrics: metrics, positive: positive)
        for score in scores {
            switch score.value {
            case .number(let value):
                result.metrics.append(MetricRecord(name: score.name, value: value))
            case .matrix(let cells, let labels):
                let json = try JSONSerialization.data(
                    withJSONObject: ["labels": labels, "matrix": cells], options: [.sortedKeys])
                result.metrics.append(
                    MetricRecord(name: score.name, value: nil, json: String(decoding: json, as: UTF8.self)))
            case .perClass(let table):
                let json = try JSONSerialization.data(
                    withJSONObject: [
                        "labels": table.labels, "precision": table.precision, "recall": table.recall, "f1": table.f1,
                        "support": table.support,
                    ], options: [.sortedKeys])
                result.metrics.append(
                    MetricRecord(name: score.name, value: nil, json: String(decoding: json, as: UTF8.self)))
            case .curve(let curve):
                let json = try JSONSerialization.data(
                    withJSONObject: ["positive": curve.positive, "x": curve.x, "y": curve.y], options: [.sortedKeys])
                result.metrics.append(
                    MetricRecord(name: score.name, value: nil, json: String(decoding: json, as: UTF8.self)))
            }
        }
        return result
    }

    func predict(_ step: PlannedStep, _ inputs: Inputs) throws -> StepResult {
        let csv = try Predict.run(model: try inputs.model("model"), input: try inputs.dataset("input"))
        var result = StepResult()
        result.artifacts.append(StepResult.Artifact(name: "\(step.name).csv", bytes: Array(csv.utf8), place: nil))
        return result
    }

    /// The transforms a `preprocess` step with configuration `config` fits on `dataset`: what it applies to
    /// each of its `apply` datasets, and what `RecordedOutputs` fits again to serve a model.
    static func fitTransforms(_ config: ConfigNode, on dataset: Dataset) throws -> Preprocess.Fitted {
        try Preprocess.fit(
            dataset, standardize: selection(config["standardize"]), minmax: selection(config["minmax"]),
            onehot: selection(config["onehot"]), impute: selection(config["impute"]),
            strategy: try imputeStrategy(config))
    }

    // MARK: Values

    private static func strings(_ node: ConfigNode?) -> [String]? {
        guard case .list(let items)? = node?.value else { return nil }
        return items.compactMap(\.string)
    }

    private func delimiter(_ node: ConfigNode?) -> Character? {
        guard let text = node?.string else { return nil }
        return text == "\\t" ? "\t" : text.first
    }

    /// `impute`'s `strategy` with its `fill`, or nil for the default.
    private static func imputeStrategy(_ config: ConfigNode) throws -> Preprocess.Strategy? {
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

    private static func selection(_ node: ConfigNode?) -> Preprocess.Selection? {
        guard let node else { return nil }
        if node.string == "all" { return .all }
        return strings(node).map(Preprocess.Selection.columns)
    }
}
