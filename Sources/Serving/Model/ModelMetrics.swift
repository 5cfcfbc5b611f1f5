import Foundation
import Workflows

/// What `GET /metrics` reports, in Prometheus' text format (version 0.0.4): requests by status code and their
/// durations, rows scored, predictions by class (or their sum and count for a regression), errors by kind, and
/// per numeric feature how far the mean of the last `window` values sent lies from the training file's, in
/// the training file's standard deviations.
final class ModelMetrics: @unchecked Sendable {
    // @unchecked: every field is read and written under `lock`.
    private let lock = NSLock()
    private var requests: [Int: Int] = [:]
    private var errors: [String: Int] = [:]
    private var buckets: [Int]
    private var durationSum = 0.0
    private var durationCount = 0
    private var rows = 0
    private var classes: [String: Int] = [:]
    private var valueSum = 0.0
    private var valueCount = 0

    /// Upper bounds of the duration histogram, in seconds.
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The numeric features with their training mean and deviation, and the values recently sent (a ring).
    private let features: [(name: String, mean: Double, deviation: Double)]
    private var recent: [[Double]]
    private var next: [Int]
    static let window = 1000
    /// The schema's column names, and where each feature is among them: the positions of a request that sends
    /// the columns in the schema's order, as most do.
    private let schemaNames: [String]
    private let schemaSources: [Int?]

    init(schema: RawSchema) {
        buckets = Array(repeating: 0, count: Self.bounds.count)
        for name in schema.classes ?? [] { self.classes[name] = 0 }
        features = schema.columns.compactMap { column in
            guard let mean = column.mean, let deviation = column.deviation else { return nil }
            return (column.name, mean, deviation)
        }
        recent = features.map { _ in [] }
        next = features.map { _ in 0 }
        schemaNames = schema.columns.map(\.name)
        schemaSources = features.map { feature in schema.columns.firstIndex { $0.name == feature.name } }
    }

    /// Keeps the numeric values of `table`'s rows for the drift gauge.
    func observe(_ table: RawTable) {
        guard !features.isEmpty else { return }
        let sources: [Int?]
        if table.columns == schemaNames {
            sources = schemaSources
        } else {
            let position = Dictionary(table.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            sources = features.map { position[$0.name] }
        }
        lock.withLock {
            for row in table.rows {
                for (slot, source) in sources.enumerated() {
                    guard let source, source < row.count, case .number(let value) = row[source], value.isFinite
                    else { continue }
                    if recent[slot].count < Self.window {
                        recent[slot].append(value)
                    } else {
                        recent[slot][next[slot]] = value
                        next[slot] = (next[slot] + 1) % Self.window
                    }
                }
            }
        }
    }

    func request(code: Int, seconds: Double, error: String? = nil) {
        lock.withLock {
            requests[code, default: 0] += 1
            if let error { errors[error, default: 0] += 1 }
            durationSum += seconds
            durationCount += 1
            if let slot = Self.bounds.firstIndex(where: { seconds <= $0 }) { buckets[slot] += 1 }
        }
    }

    func scored(labels: [String]) {
        lock.withLock {
            rows += labels.count
            for label in labels { classes[label, default: 0] += 1 }
        }
    }

    func scored(values: [Double]) {
        lock.withLock {
            rows += values.count
            for value in values where value.isFinite {
                valueSum += value
                valueCount += 1
            }
        }
    }

    var text: String {
        lock.withLock {
            var lines: [String] = []
            func family(_ name: String, _ type: String, _ help: String) {
                lines.append("# HELP \(name) \(help)")
                lines.append("# TYPE \(name) \(type)")
            }
            family("athanor_requests_total", "counter", "Requests answered, by HTTP status code.")
            for (code, count) in requests.sorted(by: { $0.key < $1.key }) {
                lines.append("athanor_requests_total{code=\"\(code)\"} \(count)")
            }
            family("athanor_request_duration_seconds", "histogram", "Time to answer a request.")
            var cumulative = 0
            for (bound, count) in zip(Self.bounds, buckets) {
                cumulative += count
                lines.append("athanor_request_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)")
            }
            lines.append("athanor_request_duration_seconds_bucket{le=\"+Inf\"} \(durationCount)")
            lines.append("athanor_request_duration_seconds_sum \(durationSum)")
            lines.append("athanor_request_duration_seconds_count \(durationCount)")
            family("athanor_rows_scored_total", "counter", "Rows the model scored.")
            lines.append("athanor_rows_scored_total \(rows)")
            if classes.isEmpty {
                family("athanor_prediction_value", "summary", "The values predicted.")
                lines.append("athanor_prediction_value_sum \(valueSum)")
                lines.append("athanor_prediction_value_count \(valueCount)")
            } else {
                family("athanor_predictions_total", "counter", "Predictions, by class.")
                for (name, count) in classes.sorted(by: { $0.key < $1.key }) {
                    lines.append("athanor_predictions_total{class=\"\(Self.label(name))\"} \(count)")
                }
            }
            family(
                "athanor_feature_drift", "gauge",
                "|mean of the last \(Self.window) values sent - training mean| / training standard deviation.")
            for (slot, feature) in features.enumerated() {
                let values = recent[slot]
                let mean = values.isEmpty ? feature.mean : values.reduce(0, +) / Double(values.count)
                let shift = abs(mean - feature.mean)
                let drift = feature.deviation > 0 ? shift / feature.deviation : (shift == 0 ? 0 : .infinity)
                let text = drift.isFinite ? "\(drift)" : "+Inf"
                lines.append("athanor_feature_drift{feature=\"\(Self.label(feature.name))\"} \(text)")
            }
            family("athanor_errors_total", "counter", "Requests refused, by reason.")
            for reason in ["bad_input", "too_large", "not_found", "unauthorized", "engine"] {
                lines.append("athanor_errors_total{reason=\"\(reason)\"} \(errors[reason] ?? 0)")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// A label value with `\`, `"` and newlines escaped, as the text format asks.
    static func label(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
