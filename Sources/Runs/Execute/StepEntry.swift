import Engine
import Foundation

/// A cached step: where its outputs are in the object store, and what it recorded. Stored as a
/// JSON object; the reference named by the step's cache key points at it, written last, so that
/// a reader never sees an entry whose outputs are not there yet.
struct StepEntry: Sendable, Codable {
    struct Output: Sendable, Codable {
        /// `nil` for the step's own output, else `train`, `test`, a key of `apply`.
        var name: String?
        var kind: String
        var object: String
    }

    struct Artifact: Sendable, Codable {
        /// Where a command step's file goes back on a cache hit.
        enum Place: String, Sendable, Codable {
            /// At `name`, relative to the notebook's directory: a file of `outputs:`.
            case notebook
            /// At `name` inside the step's `ATHANOR_OUTPUT`.
            case output
        }

        var name: String
        var object: String
        var size: Int
        /// Absent for artifacts that live only in the store (`predict`'s CSV).
        var place: Place?
    }

    var ingredients: CacheKeyIngredients
    var outputs: [Output]
    var metrics: [MetricRecord]
    /// Each series is stored as `PackedSeries`, one string, since cache format 3.
    var series: [String: [RecordedPoint]]
    var datasets: [DatasetRecord]
    var artifacts: [Artifact]
    /// Absent in entries written before previews were kept.
    var previews: [DataPreview]?
    var log: String?
}

extension StepEntry {
    /// The entry of a step whose results could not be stored in the cache: what it records, its artifacts
    /// named by their hash alone.
    init(unstored result: StepResult, of step: String, ingredients: CacheKeyIngredients) {
        self.init(
            ingredients: ingredients, outputs: [], metrics: result.metrics, series: result.series,
            datasets: result.datasets,
            artifacts: result.artifacts.map { artifact in
                Artifact(
                    name: artifact.name, object: ContentHash.sha256(artifact.bytes), size: artifact.bytes.count,
                    place: artifact.place)
            },
            previews: Self.previews(result, of: step), log: result.log)
    }

    /// The previews of a step's datasets, in the order of their names.
    static func previews(_ result: StepResult, of step: String) -> [DataPreview] {
        result.outputs.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }).compactMap { name, output in
            guard case .dataset(let dataset) = output else { return nil }
            return DataPreview(name: name.map { "\(step).\($0)" } ?? step, dataset: dataset)
        }
    }
}

extension StepEntry {
    private enum CodingKeys: String, CodingKey {
        case ingredients, outputs, metrics, series, datasets, artifacts, previews, log
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ingredients = try container.decode(CacheKeyIngredients.self, forKey: .ingredients)
        outputs = try container.decode([Output].self, forKey: .outputs)
        metrics = try container.decode([MetricRecord].self, forKey: .metrics)
        series = try container.decode([String: PackedSeries].self, forKey: .series).mapValues(\.points)
        datasets = try container.decode([DatasetRecord].self, forKey: .datasets)
        artifacts = try container.decode([Artifact].self, forKey: .artifacts)
        previews = try container.decodeIfPresent([DataPreview].self, forKey: .previews)
        log = try container.decodeIfPresent(String.self, forKey: .log)
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ingredients, forKey: .ingredients)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(metrics, forKey: .metrics)
        try container.encode(series.mapValues(PackedSeries.init), forKey: .series)
        try container.encode(datasets, forKey: .datasets)
        try container.encode(artifacts, forKey: .artifacts)
        try container.encodeIfPresent(previews, forKey: .previews)
        try container.encodeIfPresent(log, forKey: .log)
    }
}

/// A series in a cache entry: the base64 of its `PackedPoints`, one string that JSON copies at the speed of
/// memory, where a million `{"index": ..., "value": ...}` objects took seconds each way.
///
/// Entries of cache format 2 and before, whose series are lists of such objects, still decode, so that a miss
/// can be explained against the entry of a run recorded before.
private struct PackedSeries: Codable {
    var points: [RecordedPoint]

    init(_ points: [RecordedPoint]) {
        self.points = points
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self) else {
            points = try container.decode([RecordedPoint].self)
            return
        }
        guard let data = Data(base64Encoded: text),
            let points = data.withUnsafeBytes({ PackedPoints.points($0) })
        else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a series is not the base64 of 16-byte points")
        }
        self.points = points
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Data(PackedPoints.bytes(points)).base64EncodedString())
    }
}
