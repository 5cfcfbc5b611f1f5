import Engine
import Foundation
import Workflows

/// A temporary project with one recorded run that trains a model behind a chain of fitted transforms:
/// `load` (a numeric column with gaps, a categorical one, a text target), `split`, `preprocess` (impute,
/// one-hot, standardize), `train`, and a `predict` of the test rows, the engine's own predictions.
public struct ModelProject: Sendable {
    public let folder: TemporaryFolder
    public var project: Project { Project(root: folder.url) }
    /// The run's id.
    public let run: String

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs the notebook with `model` (`logistic`, `mlp`, `gradient_boosting`) in-process.
    public init(model: String = "logistic") throws {
        folder = try TemporaryFolder(prefix: "athanor-model")
        try folder.write(Self.csv, to: "data.csv")
        try folder.write(Self.notebook(model: model), to: "nb.md")
        var options = RunWorkflow.Options(notebook: folder.path("nb.md"))
        options.quiet = true
        options.json = true
        let console = CapturedConsole()
        let invocation = Invocation(console: console, directory: folder.url, command: ["athanor", "run", "nb.md"])
        guard RunWorkflow(options, in: invocation).run() == .success,
            let record = try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any],
            let id = record["id"] as? String
        else { throw Failure(description: "the run failed: \(console.error)") }
        run = id
    }

    public func remove() { folder.remove() }

    public static func notebook(model: String) -> String {
        """
        ```step data
        op: load
        path: data.csv
        target: kind
        ```

        ```step split
        op: split
        input: data
        test: 0.25
        seed: 3
        ```

        ```step prep
        op: preprocess
        fit: split.train
        apply: {train: split.train, test: split.test}
        impute: [size]
        onehot: [colour]
        standardize: [size, weight]
        ```

        ```step model
        op: train
        model: \(model)
        input: prep.train
        ```

        ```step pred
        op: predict
        model: model
        input: prep.test
        ```
        """
    }

    /// 160 rows: `size` (every seventh missing), `colour` (red, green, blue), `weight`, and the class `kind`.
    public static let csv: String = {
        var lines = ["size,colour,weight,kind"]
        let colours = ["red", "green", "blue"]
        for row in 0..<160 {
            let size = Double((row * 37) % 100) / 10 + 0.25
            let colour = colours[(row * 7) % 3]
            let weight = Double((row * 53) % 71) / 7 - 3.5
            let score = size + (colour == "red" ? 3 : 0) - weight / 2
            let kind = score < 4 ? "small" : score < 7 ? "medium" : "large"
            lines.append("\(row % 7 == 3 ? "" : String(size)),\(colour),\(weight),\(kind)")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// The raw rows of the run's test split, as a client would send them (categories as text, gaps missing),
    /// with the header `size, colour, weight`.
    public func testRows() throws -> RawTable {
        let record = try RunStore(readingAt: project.storePath).run(run)
        guard let record else { throw Failure(description: "no run \(run)") }
        let plan: RunPlan
        switch Reproduction.plan(of: record, in: project) {
        case .success(let made): plan = made
        case .failure(let problems): throw Failure(description: "\(problems)")
        }
        let outputs = RecordedOutputs(
            run: record, plan: plan, cache: ObjectStore(directory: project.cacheDirectory))
        let test = try outputs.dataset(StepReference(step: "split", output: "test"))
        let rows = (0..<test.rowCount).map { row in
            test.columns.enumerated().map { column, feature -> RawValue in
                let value = test.features[row, column]
                if value.isNaN { return .missing }
                if case .categorical(let levels) = feature.kind { return .text(levels[Int(value)]) }
                return .number(value)
            }
        }
        return RawTable(columns: test.columns.map(\.name), rows: rows)
    }

    /// The `predict` step's CSV: the engine's own predictions of the test rows.
    public func enginePredictions() throws -> String {
        guard let record = try RunStore(readingAt: project.storePath).run(run),
            let artifact = record.artifacts.first(where: { $0.step == "pred" }),
            let bytes = try ObjectStore(directory: project.cacheDirectory).get(artifact.sha256)
        else { throw Failure(description: "no predictions recorded") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
