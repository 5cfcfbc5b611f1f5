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

    public var drifted: [FeatureDrift] { features.filter(\.drifted) }
}
