import Drift
import Engine
import Foundation
import Notebook

/// The training statistics a run recorded for a dataset, or the same computed again from the dataset in the
/// cache for a run recorded before Athanor kept them.
public enum RecordedStatistics {
    /// The statistics of `dataset` (`split.train`) in `run`.
    ///
    /// - Throws: `EngineError` saying why neither the statistics nor the dataset can be read.
    public static func of(_ dataset: StepReference, in run: RunRecord, objects: ObjectStore) throws
        -> TrainingStatistics
    {
        let name = dataset.description
        guard let step = run.steps.first(where: { $0.name == dataset.step }), step.status == .succeeded else {
            throw EngineError("run \(run.id) did not make '\(name)': its step '\(dataset.step)' did not succeed")
        }
        if let key = step.previews.first(where: { $0.name == name })?.statistics, ContentHash.isSHA256(key),
            let bytes = try? objects.get(key),
            let recorded = try? JSONDecoder().decode(TrainingStatistics.self, from: Data(bytes))
        {
            return recorded
        }
        if let computed = try? fromCache(dataset, key: step.cacheKey, objects: objects) {
            return computed
        }
        throw EngineError(
            "run \(run.id) has no training statistics of '\(name)' (it ran before Athanor recorded them, or "
                + "'athanor cache clear' removed them) and its data is no longer in the cache; run the notebook "
                + "again to record them")
    }

    /// The statistics computed from the dataset the step's cache entry holds; nil when the cache lacks it.
    private static func fromCache(_ dataset: StepReference, key: String, objects: ObjectStore) throws
        -> TrainingStatistics?
    {
        guard ContentHash.isSHA256(key), let entryKey = try objects.reference(key),
            let bytes = try objects.get(entryKey)
        else { return nil }
        let entry = try JSONDecoder().decode(StepEntry.self, from: Data(bytes))
        guard entry.ingredients.key == key,
            let output = entry.outputs.first(where: { $0.name == dataset.output && $0.kind == "dataset" })
        else { return nil }
        let data = try objects.withObject(output.object) { try Dataset(columnar: $0) }
        return data.map { TrainingStatistics(name: dataset.description, dataset: $0) }
    }
}
