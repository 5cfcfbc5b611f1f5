import Foundation
import Runs

/// One request of a push, in the order a push makes them; a push cut short resumes at the first one the
/// server did not acknowledge.
public enum PushOperation: Sendable, Hashable {
    /// `runs/log-batch`: at most 1000 items, of them at most 1000 metrics, 100 params and 100 tags.
    case batch(LogBatch)
    /// `runs/log-inputs`: the datasets the run read.
    case inputs([DatasetInput])
    /// A file under the run's artifact root, through the server's artifact proxy.
    case artifact(ArtifactUpload)
    /// `runs/update`: the run's final status and end time.
    case finish(status: String, endTime: Int64)
    /// The tag `athanor.push=complete`, last, so that a run on the server without it is a push to complete.
    case markComplete
}

/// A metric point as MLflow keeps it: the value at a step, at a time in milliseconds since 1970.
public struct MetricPoint: Sendable, Hashable {
    public var key: String
    public var value: Double
    public var step: Int
    public var timestamp: Int64

    public init(key: String, value: Double, step: Int, timestamp: Int64) {
        self.key = key
        self.value = value
        self.step = step
        self.timestamp = timestamp
    }
}

public struct KeyValue: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

public struct LogBatch: Sendable, Hashable {
    public var metrics: [MetricPoint] = []
    public var params: [KeyValue] = []
    public var tags: [KeyValue] = []

    public init(metrics: [MetricPoint] = [], params: [KeyValue] = [], tags: [KeyValue] = []) {
        self.metrics = metrics
        self.params = params
        self.tags = tags
    }

    public var count: Int { metrics.count + params.count + tags.count }

    /// The request's body, written by hand: `JSONSerialization` writes some doubles with fewer digits than
    /// they need (1/9 comes back as 0.11111111111111109), and Swift's own text of a double is the shortest
    /// that reads back bit for bit. A NaN or infinite value goes as the text `NaN`, `Infinity` or
    /// `-Infinity`, protobuf's JSON spelling of them, which MLflow's server reads.
    public func body(runID: String) -> Data {
        var text = "{\"run_id\":" + Self.quoted(runID) + ",\"metrics\":["
        text.reserveCapacity(metrics.count * 64 + 256)
        for (index, point) in metrics.enumerated() {
            if index > 0 { text += "," }
            text += "{\"key\":" + Self.quoted(point.key) + ",\"value\":" + Self.number(point.value)
            text += ",\"step\":\(point.step),\"timestamp\":\(point.timestamp)}"
        }
        text += "],\"params\":[" + params.map(Self.pair).joined(separator: ",")
        text += "],\"tags\":[" + tags.map(Self.pair).joined(separator: ",") + "]}"
        return Data(text.utf8)
    }

    static func pair(_ item: KeyValue) -> String {
        "{\"key\":" + quoted(item.key) + ",\"value\":" + quoted(item.value) + "}"
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        return "\(value)"
    }

    /// `text` as a JSON string.
    static func quoted(_ text: String) -> String { CanonicalJSON.quoted(text) }
}

/// A dataset the run read, as an MLflow dataset input: its SHA-256 as the digest (MLflow keeps at most 36
/// characters of a digest: the first 36 hex digits), the whole hash as the input tag `athanor.sha256`.
public struct DatasetInput: Sendable, Hashable {
    public var name: String
    public var digest: String
    public var source: String
    public var profile: String
    public var sha256: String
    public var context: String

    public var json: [String: Any] {
        [
            "dataset": [
                "name": name, "digest": digest, "source_type": "local", "source": source, "profile": profile,
            ],
            "tags": [
                ["key": "mlflow.data.context", "value": context], ["key": "athanor.sha256", "value": sha256],
            ],
        ]
    }
}

/// A file to put under the run's artifact root.
public struct ArtifactUpload: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        case file(String)
        case bytes([UInt8])
    }

    /// The path under the run's artifacts, `/`-separated: `report/ID.html`, `artifacts/STEP/NAME`.
    public var path: String
    public var content: Content
}
