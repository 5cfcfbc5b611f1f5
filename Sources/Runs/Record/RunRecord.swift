import Foundation

/// Everything a run records (DESIGN §3): what it needs to be understood, compared and re-run.
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: String
    /// The notebook's path relative to the project root.
    public var notebook: String
    public var notebookSHA256: String
    /// The notebook's text, so that a run can be re-run after the file changed.
    public var notebookSource: String
    public var title: String?
    public var started: Date
    public var finished: Date?
    public var status: RunStatus
    /// The command line as typed.
    public var command: [String]
    public var parameters: [RecordedParameter]
    public var steps: [StepRecord]
    public var datasets: [DatasetRecord]
    public var metrics: [MetricRecord]
    public var series: [SeriesRecord]
    public var artifacts: [ArtifactRecord]
    public var environment: EnvironmentRecord
    /// The report's path, when one was written.
    public var report: String?
    /// The sweep this run belongs to, if any.
    public var sweep: String?
    /// The process that runs it, recorded by the run store; nil for runs recorded before Athanor kept it.
    /// Not part of the record's JSON (a report's manifest): it means something only on this machine.
    public var owner: RunOwner?
    /// The images its steps made; loaded with a single run (`RunStore.run(_:)`), empty in a listing.
    /// Not part of the record's JSON either: the report holds the images.
    public var figures: [FigureRecord] = []
    /// What the user said of the run after it (`athanor tag RUN key=value --note TEXT`), read from the store:
    /// kept apart from the record, which a later save replaces; not in the record's JSON.
    public var tags: [String: String] = [:]
    public var note: String?
    /// The cluster job that ran it (`--executor slurm`), read from the store; nil for a local run.
    public var job: ScheduledJob?

    private enum CodingKeys: String, CodingKey {
        case id, notebook, notebookSHA256, notebookSource, title, started, finished, status, command, parameters
        case steps, datasets, metrics, series, artifacts, environment, report, sweep
    }

    public init(
        id: String, notebook: String, notebookSHA256: String, notebookSource: String, title: String?, started: Date,
        finished: Date? = nil, status: RunStatus = .running, command: [String], parameters: [RecordedParameter],
        steps: [StepRecord] = [], datasets: [DatasetRecord] = [], metrics: [MetricRecord] = [],
        series: [SeriesRecord] = [], artifacts: [ArtifactRecord] = [], environment: EnvironmentRecord,
        report: String? = nil, sweep: String? = nil, owner: RunOwner? = nil
    ) {
        self.id = id
        self.notebook = notebook
        self.notebookSHA256 = notebookSHA256
        self.notebookSource = notebookSource
        self.title = title
        self.started = started
        self.finished = finished
        self.status = status
        self.command = command
        self.parameters = parameters
        self.steps = steps
        self.datasets = datasets
        self.metrics = metrics
        self.series = series
        self.artifacts = artifacts
        self.environment = environment
        self.report = report
        self.sweep = sweep
        self.owner = owner
    }
}

extension RunRecord {
    /// Whether `text` has the form of a run id (eight hex digits, as `RunExecutor` makes them): an id read from
    /// a report is untrusted, and one that is not an id must not reach a terminal or a file name.
    public static func isRunID(_ text: String) -> Bool {
        text.utf8.count == 8 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

public enum RunStatus: String, Sendable, Hashable, Codable {
    /// Submitted to a cluster scheduler (`--executor slurm`), waiting for its task to start.
    case queued
    case running
    case succeeded
    case failed
    case interrupted
    /// Recorded as running, but its process is gone (killed by SIGKILL, crashed, or its machine rebooted):
    /// it will never finish. Never stored: the store reads it from a running run's `owner`.
    case abandoned
}

public struct RecordedParameter: Sendable, Hashable, Codable {
    public var name: String
    /// The value as JSON text: `0.05`, `true`, `"adam"`, `[64, 32]`.
    public var value: String
    public var overridden: Bool

    public init(name: String, value: String, overridden: Bool) {
        self.name = name
        self.value = value
        self.overridden = overridden
    }
}

public struct StepRecord: Sendable, Hashable, Codable {
    public enum Cache: String, Sendable, Hashable, Codable {
        case hit
        case miss
    }

    public enum Status: String, Sendable, Hashable, Codable {
        case succeeded
        case failed
        /// Not reached: an earlier step failed or the run was interrupted.
        case notRun = "not_run"
    }

    public var name: String
    /// The operation, or `run` for a command.
    public var op: String
    public var cacheKey: String
    public var cache: Cache?
    public var seconds: Double
    public var status: Status
    public var error: String?
    /// Why the step was recomputed, in words: "parameter 'lr' changed (0.05 → 0.1)".
    public var explanation: String?
    /// What the step printed (a command's standard output and error), bounded: head and tail of a long log.
    public var log: String?
    /// A look at each dataset the step produced, for the report.
    public var previews: [DataPreview]
    /// The configuration it ran with, as its report shows it; nil for runs recorded before Athanor kept it.
    public var configuration: StepConfiguration?

    public init(
        name: String, op: String, cacheKey: String, cache: Cache?, seconds: Double, status: Status,
        error: String? = nil, explanation: String? = nil, log: String? = nil, previews: [DataPreview] = [],
        configuration: StepConfiguration? = nil
    ) {
        self.name = name
        self.op = op
        self.cacheKey = cacheKey
        self.cache = cache
        self.seconds = seconds
        self.status = status
        self.error = error
        self.explanation = explanation
        self.log = log
        self.previews = previews
        self.configuration = configuration
    }
}

public struct DatasetRecord: Sendable, Hashable, Codable {
    public var step: String
    public var path: String
    public var sha256: String
    public var rows: Int
    public var columns: Int
    public var bytes: Int

    public init(step: String, path: String, sha256: String, rows: Int, columns: Int, bytes: Int) {
        self.step = step
        self.path = path
        self.sha256 = sha256
        self.rows = rows
        self.columns = columns
        self.bytes = bytes
    }
}

/// A final value `STEP.METRIC`; a confusion matrix keeps its cells and labels as JSON.
public struct MetricRecord: Sendable, Hashable, Codable {
    public var name: String
    public var value: Double?
    /// For matrices: `{"labels": [...], "matrix": [[...]]}`.
    public var json: String?

    public init(name: String, value: Double?, json: String? = nil) {
        self.name = name
        self.value = value
        self.json = json
    }
}

public struct SeriesRecord: Sendable, Hashable, Codable {
    public var name: String
    public var points: [RecordedPoint]

    public init(name: String, points: [RecordedPoint]) {
        self.name = name
        self.points = points
    }
}

public struct ArtifactRecord: Sendable, Hashable, Codable {
    public var step: String
    public var name: String
    public var sha256: String
    public var size: Int

    public init(step: String, name: String, sha256: String, size: Int) {
        self.step = step
        self.name = name
        self.sha256 = sha256
        self.size = size
    }
}

public struct EnvironmentRecord: Sendable, Hashable, Codable {
    public var toolVersion: String
    public var engineVersion: String
    public var os: String
    public var cpuModel: String
    public var cores: Int
    public var gitCommit: String?
    public var gitDirty: Bool?
    /// The BLAS kernel the products ran on; nil for runs recorded before Athanor chose it.
    public var blasKernel: BLASKernelRecord?

    public init(
        toolVersion: String, engineVersion: String, os: String, cpuModel: String, cores: Int, gitCommit: String?,
        gitDirty: Bool?, blasKernel: BLASKernelRecord? = nil
    ) {
        self.toolVersion = toolVersion
        self.engineVersion = engineVersion
        self.os = os
        self.cpuModel = cpuModel
        self.cores = cores
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.blasKernel = blasKernel
    }
}

/// The BLIS kernel (sub-configuration) of a run's matrix products, and who chose it. Two kernels round
/// differently, so results are bit-identical only on the same one.
public struct BLASKernelRecord: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Source: String, Sendable, Hashable, Codable {
        /// Athanor, from the CPU's features.
        case athanor
        /// The user's `BLIS_ARCH_TYPE`.
        case user
        /// BLIS's own detection.
        case blis
    }

    /// BLIS's name of the kernel: "skx", "zen3", "haswell", "generic".
    public var name: String
    public var source: Source

    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }

    public var description: String {
        switch source {
        case .athanor: "\(name) (chosen by Athanor)"
        case .user: "\(name) (set by BLIS_ARCH_TYPE)"
        case .blis: "\(name) (chosen by BLIS)"
        }
    }
}
