import Foundation
import Notebook
import Runs

/// A recorded run built by hand, so that every section of the report can be checked against known values,
/// hostile text included.
enum ReportFixture {
    static let hostile = "<script>alert('x')</script>"

    static let notebook = """
        ---
        title: Blobs <b>bold</b> test
        description: Does a <script>alert(1)</script> title escape?
        ---

        Some prose with **bold**, raw <img src=x onerror="alert(1)"> HTML and <script>alert(2)</script>
        and a [link](javascript:alert(3)).

        ```params
        seed: 2      # seed of the split
        label: "x"   # a string parameter
        ```

        ```step data
        op: load
        path: blobs.csv
        target: label
        ```

        ```step model
        op: train
        model: mlp
        input: data
        validation: data
        seed: ${seed}
        ```

        ```step eval
        op: evaluate
        model: model
        input: data
        metrics: [accuracy, confusion]
        ```

        Accuracy is `=eval.accuracy`, the last loss `=model.loss`, the seed `=seed` and the label `=label`.
        """

    static func run(status: RunStatus = .succeeded, lossPoints: Int = 40) -> RunRecord {
        let loss = (0..<lossPoints).map { RecordedPoint($0 + 1, 1.0 / Double($0 + 1)) }
        let validation = (0..<lossPoints).map { RecordedPoint($0 + 1, 1.2 / Double($0 + 1)) }
        let preview = DataPreview(
            name: "data", rows: 80,
            columns: [
                ColumnSummary(
                    name: "a", role: .feature, missing: 0, minimum: 0, mean: 4, maximum: 8, standardDeviation: 2.5),
                ColumnSummary(name: "label", role: .target, missing: 1, distinct: 2),
            ],
            head: [["1", hostile], ["2", "right"]])
        var steps = [
            StepRecord(
                name: "data", op: "load", cacheKey: "k1", cache: .hit, seconds: 0.012, status: .succeeded,
                previews: [preview]),
            StepRecord(
                name: "model", op: "train", cacheKey: "k2", cache: .miss, seconds: 1.5, status: .succeeded,
                explanation: "parameter 'seed' changed (1 → 2)", log: "epoch 1 \(hostile)"),
            StepRecord(name: "eval", op: "evaluate", cacheKey: "k3", cache: .miss, seconds: 0.02, status: .succeeded),
        ]
        var metrics = [
            MetricRecord(name: "eval.accuracy", value: 0.9375),
            MetricRecord(
                name: "eval.confusion", value: nil,
                json: #"{"labels":["left","<i>right</i>"],"matrix":[[38,2],[3,37]]}"#),
        ]
        if status == .failed {
            steps[2] = StepRecord(
                name: "eval", op: "evaluate", cacheKey: "k3", cache: .miss, seconds: 0.01, status: .failed,
                error: "column 'label' \(hostile) is missing")
            metrics = []
        }
        return RunRecord(
            id: "0badc0de", notebook: "nb.md", notebookSHA256: String(repeating: "ab", count: 32),
            notebookSource: notebook, title: "Blobs <b>bold</b> test",
            started: Date(timeIntervalSince1970: 1_790_000_000),
            finished: Date(timeIntervalSince1970: 1_790_000_002), status: status,
            command: ["athanor", "run", "nb.md", "-p", "label=\(hostile)"],
            parameters: [
                RecordedParameter(name: "seed", value: "2", overridden: false),
                RecordedParameter(name: "label", value: "\"\(hostile)\"", overridden: true),
            ],
            steps: steps,
            datasets: [
                DatasetRecord(
                    step: "data", path: "blobs.csv", sha256: String(repeating: "0123456789abcdef", count: 4), rows: 80,
                    columns: 3, bytes: 1234)
            ],
            metrics: metrics,
            series: [
                SeriesRecord(name: "model.loss", points: loss),
                SeriesRecord(name: "model.val_loss", points: validation),
            ],
            environment: EnvironmentRecord(
                toolVersion: "9.9.9", engineVersion: "8.8.8", os: "Debian", cpuModel: "CPU <x>", cores: 2,
                gitCommit: "abc123", gitDirty: true))
    }
}

/// Configuration values without a notebook behind them.
enum ConfigNodeFixture {
    static let here = SourceLocation(line: 1, column: 1)

    static func mapping(_ entries: [(String, ConfigValue)]) -> ConfigNode {
        ConfigNode(
            .mapping(entries.map { ConfigEntry(key: $0.0, keyLocation: here, value: ConfigNode($0.1, at: here)) }),
            at: here)
    }
}

extension ConfigValue {
    static func items(_ values: [ConfigValue]) -> ConfigValue {
        .list(values.map { ConfigNode($0, at: ConfigNodeFixture.here) })
    }
}
