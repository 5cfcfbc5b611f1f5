import Drift
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
    /// The points of each series; empty in an entry just decoded, until `loadingSeries(from:)` reads them.
    var series: [String: [RecordedPoint]]
    /// The object holding each series' `PackedPoints`, by name, once stored (`storingSeries(in:)`): since cache
    /// format 4 a series is an object of its own, so that the entry's JSON stays small however long the curve.
    var seriesObjects: [String: String] = [:]
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
            previews: (try? Self.previews(result, of: step)) ?? [], log: result.log)
    }

    /// The previews of a step's datasets, in the order of their names; those named in `statistics` (a model's
    /// raw training data) with their `TrainingStatistics`, stored in `objects`.
    static func previews(
        _ result: StepResult, of step: String, statistics: Set<String> = [], objects: ObjectStore? = nil
    ) throws -> [DataPreview] {
        try result.outputs.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }).compactMap { name, output in
            guard case .dataset(let dataset) = output else { return nil }
            let reference = name.map { "\(step).\($0)" } ?? step
            var preview = DataPreview(name: reference, dataset: dataset)
            if let objects, statistics.contains(reference) {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let recorded = TrainingStatistics(name: reference, dataset: dataset)
                preview.statistics = try objects.put(Array(try encoder.encode(recorded)))
            }
            return preview
        }
    }
}

extension StepEntry {
    private enum CodingKeys: String, CodingKey {
        case ingredients, outputs, metrics, series, datasets, artifacts, previews, log
    }

    /// Decodes an entry of any cache format, so that a miss can be explained against the entry of a run
    /// recorded before; the series of a format before 4, kept inside the entry, are left out: such an
    /// entry's key is no longer asked for.
    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ingredients = try container.decode(CacheKeyIngredients.self, forKey: .ingredients)
        outputs = try container.decode([Output].self, forKey: .outputs)
        metrics = try container.decode([MetricRecord].self, forKey: .metrics)
        series = [:]
        if ingredients.format >= 4 {
            seriesObjects = try container.decode([String: String].self, forKey: .series)
            for object in seriesObjects.values where !ContentHash.isSHA256(object) {
                throw DecodingError.dataCorruptedError(
                    forKey: .series, in: container, debugDescription: "'\(object)' is not the key of a series object")
            }
        }
        datasets = try container.decode([DatasetRecord].self, forKey: .datasets)
        artifacts = try container.decode([Artifact].self, forKey: .artifacts)
        previews = try container.decodeIfPresent([DataPreview].self, forKey: .previews)
        log = try container.decodeIfPresent(String.self, forKey: .log)
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        guard Set(series.keys) == Set(seriesObjects.keys) else {
            throw EncodingError.invalidValue(
                series.keys.sorted(),
                EncodingError.Context(codingPath: [CodingKeys.series], debugDescription: "series not stored yet"))
        }
        try container.encode(ingredients, forKey: .ingredients)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(metrics, forKey: .metrics)
        try container.encode(seriesObjects, forKey: .series)
        try container.encode(datasets, forKey: .datasets)
        try container.encode(artifacts, forKey: .artifacts)
        try container.encodeIfPresent(previews, forKey: .previews)
        try container.encodeIfPresent(log, forKey: .log)
    }
}
