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
    var series: [String: [SeriesPoint]]
    var datasets: [DatasetRecord]
    var artifacts: [Artifact]
    /// Absent in entries written before previews were kept.
    var previews: [DataPreview]?
    var log: String?
}
