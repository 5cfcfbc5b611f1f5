import Engine
import Foundation
import Notebook

/// A recorded run's step outputs, read back from the cache under the cache keys the run recorded: the
/// model a step trained, the datasets it read, and the transforms a `preprocess` step fitted (fitted again,
/// deterministically, on the dataset it was fitted on, which is what the cache keeps).
public struct RecordedOutputs: Sendable {
    public let run: RunRecord
    public let plan: RunPlan
    let objects: ObjectStore

    public init(run: RunRecord, plan: RunPlan, cache: ObjectStore) {
        self.run = run
        self.plan = plan
        self.objects = cache
    }

    /// The planned step `name`, or an error naming the steps there are.
    public func step(_ name: String) throws -> PlannedStep {
        guard let step = plan.steps.first(where: { $0.name == name }) else {
            let names = plan.steps.map(\.name).joined(separator: ", ")
            throw EngineError("run \(run.id) has no step '\(name)'; its steps are \(names)")
        }
        return step
    }

    /// What `reference` names, as the run produced it.
    ///
    /// - Throws: when the step did not succeed in this run, or its entry or output is no longer in the cache.
    public func output(_ reference: StepReference) throws -> StepOutput {
        guard let record = run.steps.first(where: { $0.name == reference.step }), record.status == .succeeded,
            !record.cacheKey.isEmpty
        else {
            throw EngineError("step '\(reference.step)' did not succeed in run \(run.id)")
        }
        let gone = EngineError(
            "the cache no longer holds the outputs of step '\(reference.step)' of run \(run.id); "
                + "'athanor reproduce \(run.id)' makes them again")
        guard let manifest = try objects.reference(record.cacheKey), let bytes = try objects.get(manifest) else {
            throw gone
        }
        let entry = try JSONDecoder().decode(StepEntry.self, from: Data(bytes))
        guard entry.ingredients.key == record.cacheKey,
            let stored = entry.outputs.first(where: { $0.name == reference.output })
        else { throw gone }
        if stored.kind == "model" {
            guard let model = try objects.get(stored.object) else { throw gone }
            return .model(try Model.decoded(from: model))
        }
        guard let dataset = try objects.withObject(stored.object, { try Dataset(columnar: $0) }) else { throw gone }
        return .dataset(dataset)
    }

    /// The dataset `reference` names.
    public func dataset(_ reference: StepReference) throws -> Dataset {
        guard case .dataset(let dataset) = try output(reference) else {
            throw EngineError("'\(reference)' is a model, not a dataset")
        }
        return dataset
    }

    /// The transforms the `preprocess` step `name` fitted, as it applied them in this run.
    public func fittedTransforms(of name: String) throws -> Preprocess.Fitted {
        let step = try step(name)
        guard step.kind == .preprocess, let fit = step.configuration["fit"]?.string.flatMap(StepReference.init) else {
            throw EngineError("step '\(name)' is not a preprocess step")
        }
        return try StepRunner.fitTransforms(step.configuration, on: try dataset(fit))
    }
}
