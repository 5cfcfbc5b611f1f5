/// What `athanor monitor` found: each column of new data against the training data of a run's model.
public struct DriftReport: Sendable, Hashable, Codable {
    public var run: String
    /// The model step, and the dataset it learnt from (`split.train`).
    public var step: String
    public var dataset: String
    public var trainingRows: Int
    /// The new data as the user named it (a file), and how many rows it had.
    public var source: String
    public var rows: Int
    public var threshold: Double
    /// The training data's columns found in the new data, features then target, in the training order.
    public var features: [FeatureDrift]
    /// Training columns the new data lacks, and new columns training did not have.
    public var missingColumns: [String]
    public var extraColumns: [String]
    /// Lines of a request log that could not be read.
    public var skippedLines: Int
    /// The model's predictions of the new data (read from a request log, or made by scoring the file)
    /// against its predictions of its own training data; nil, with `predictionNote` saying why, when they
    /// could not be compared.
    public var prediction: FeatureDrift?
    public var predictionNote: String?
    /// Rows of a file the model refused (a value it cannot take), left out of the predictions, and the first
    /// reasons.
    public var refusedRows = 0
    public var refusals: String?
    /// The model's metrics on the new data, when it has the target column.
    public var metrics: [MetricComparison] = []

    public init(
        run: String, step: String, dataset: String, trainingRows: Int, source: String, rows: Int, threshold: Double,
        features: [FeatureDrift], missingColumns: [String] = [], extraColumns: [String] = [], skippedLines: Int = 0
    ) {
        self.run = run
        self.step = step
        self.dataset = dataset
        self.trainingRows = trainingRows
        self.source = source
        self.rows = rows
        self.threshold = threshold
        self.features = features
        self.missingColumns = missingColumns
        self.extraColumns = extraColumns
        self.skippedLines = skippedLines
    }

    /// The columns whose PSI reached the threshold, and the predictions when theirs did.
    public var drifted: [FeatureDrift] { (features + (prediction.map { [$0] } ?? [])).filter(\.drifted) }
}

/// One metric of the model on the new data, beside the value the run recorded for it.
public struct MetricComparison: Sendable, Hashable, Codable {
    /// As `evaluate` names it: `accuracy`, `f1_macro`, `rmse`, `mae`, `r2`.
    public var name: String
    /// On the rows of the new data the model scored and whose target is present.
    public var value: Double
    public var rows: Int
    /// What the run's `evaluate` step (`recordedBy`) recorded, when one evaluated this model with the metric.
    public var recorded: Double?
    public var recordedBy: String?

    public init(name: String, value: Double, rows: Int, recorded: Double? = nil, recordedBy: String? = nil) {
        self.name = name
        self.value = value
        self.rows = rows
        self.recorded = recorded
        self.recordedBy = recordedBy
    }
}
