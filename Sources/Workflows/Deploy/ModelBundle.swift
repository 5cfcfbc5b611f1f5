import Engine
import Foundation

/// A model as a run trained it, ready to score raw rows: the model, the transforms fitted between the
/// training file's columns and the model (the `preprocess` steps, in the order they ran), the schema of
/// those raw columns, and where it all came from. What `athanor serve-model` serves and `athanor export`
/// writes to a file.
///
/// Public API: `ModelBundle.resolve("RUN:STEP", in: project)` (RUN as everywhere: an id, a prefix,
/// `latest`, `latest~N`; `:STEP` may be left out when the run trained one model), `ModelBundle.read(file:)`,
/// `bundle.write(to:)`, `bundle.score(RawTable(columns:rows:))` → `Scores`, `bundle.dataset(_:)` (the raw
/// rows as the model's input, transforms applied), `bundle.schema`, `bundle.lineage`.
public struct ModelBundle: Sendable, Hashable, Codable {
    public var model: Model
    /// The fitted transforms from the raw columns to the model's features, first to last.
    public var transforms: [Preprocess.Fitted]
    public var schema: RawSchema
    public var lineage: Lineage

    public init(model: Model, transforms: [Preprocess.Fitted], schema: RawSchema, lineage: Lineage) {
        self.model = model
        self.transforms = transforms
        self.schema = schema
        self.lineage = lineage
    }
}

/// The columns a client sends: those of the training file, before any transform.
public struct RawSchema: Sendable, Hashable, Codable {
    public struct Column: Sendable, Hashable, Codable {
        public var name: String
        /// Numbers, or text among the training data's levels.
        public var kind: ColumnKind
        /// Whether a row may leave it out (null, an empty CSV field): the model or an `impute` fills it.
        public var missingAllowed: Bool
        /// Whether a category the training data never had is accepted: a one-hot encoded column, where it is
        /// all zeros, as in the engine.
        public var unseenAllowed: Bool
        /// A numeric column's mean and population standard deviation in the training file: what the drift
        /// gauge of `serve-model` measures recent requests against.
        public var mean: Double?
        public var deviation: Double?

        public init(name: String, kind: ColumnKind, missingAllowed: Bool, unseenAllowed: Bool) {
            self.name = name
            self.kind = kind
            self.missingAllowed = missingAllowed
            self.unseenAllowed = unseenAllowed
        }

        public var isNumeric: Bool { kind == .numeric }
    }

    public var columns: [Column]
    /// The column the model predicts, as the training file names it; nil for clustering.
    public var target: String?
    /// `classification`, `regression` or `clustering`.
    public var task: String
    /// A classifier's classes, as the training file spells them, in the order of its probabilities.
    public var classes: [String]?
    /// For a numeric target, the value each class stands for (predictions are these numbers).
    public var classValues: [Double]?

    public init(
        columns: [Column], target: String?, task: String, classes: [String]? = nil, classValues: [Double]? = nil
    ) {
        self.columns = columns
        self.target = target
        self.task = task
        self.classes = classes
        self.classValues = classValues
    }
}

/// Where a bundle came from, for `/version` and for anyone who finds the file later.
public struct Lineage: Sendable, Hashable, Codable {
    public var runID: String
    public var step: String
    /// The notebook's path (relative to its project) and the SHA-256 of its text as the run read it.
    public var notebook: String
    public var notebookSHA256: String
    /// Every data file the run read.
    public var datasets: [DatasetRecord]
    /// The engine that trained the model; a bundle is refused by another.
    public var engineVersion: String
    public var toolVersion: String
    public var trained: Date

    public init(
        runID: String, step: String, notebook: String, notebookSHA256: String, datasets: [DatasetRecord],
        engineVersion: String, toolVersion: String, trained: Date
    ) {
        self.runID = runID
        self.step = step
        self.notebook = notebook
        self.notebookSHA256 = notebookSHA256
        self.datasets = datasets
        self.engineVersion = engineVersion
        self.toolVersion = toolVersion
        self.trained = trained
    }
}
