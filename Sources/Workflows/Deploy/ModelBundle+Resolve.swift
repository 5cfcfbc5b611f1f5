import Engine
import Foundation

extension ModelBundle {
    /// The model `reference` names (`RUN:STEP`, or `RUN` for a run that trained one model) with the transforms
    /// that fed it, read from the project's store and cache.
    ///
    /// - Throws: `WorkflowFailure` (exit 2) for an unknown run or step, a step that is not a model, a model
    ///   trained by another engine, or data that came through a step that cannot be replayed (a code step).
    public static func resolve(_ reference: String, in project: Project) throws -> ModelBundle {
        let parts = reference.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let run = try Lookup.run(parts[0], in: try openStoreForReading(project))
        let plan = try checkedPlan(Reproduction.plan(of: run, in: project))
        let outputs = RecordedOutputs(run: run, plan: plan, cache: ObjectStore(directory: project.cacheDirectory))
        let models = plan.steps.filter { $0.kind == .train }.map(\.name)
        let name: String
        if parts.count == 2 {
            name = parts[1]
        } else if models.count == 1, let only = models.first {
            name = only
        } else {
            throw WorkflowFailure.invalid(
                models.isEmpty
                    ? "run \(run.id) trained no model"
                    : "run \(run.id) trained \(models.count) models; name one as \(run.id):STEP "
                        + "(\(models.joined(separator: ", ")))")
        }
        return try resolve(step: name, of: outputs)
    }

    /// The model `name` of a run already read, with its checked plan.
    static func resolve(step name: String, of outputs: RecordedOutputs) throws -> ModelBundle {
        let models = outputs.plan.steps.filter { $0.kind == .train }.map(\.name)
        do {
            return try bundle(step: name, of: outputs, models: models)
        } catch let failure as WorkflowFailure {
            throw failure
        } catch {
            throw WorkflowFailure.invalid(error)
        }
    }

    private static func bundle(step name: String, of outputs: RecordedOutputs, models: [String]) throws
        -> ModelBundle
    {
        let run = outputs.run
        let step = try outputs.step(name)
        guard step.kind == .train else {
            let list = models.isEmpty ? "it trained none" : "its models are \(models.joined(separator: ", "))"
            throw WorkflowFailure.invalid(
                "step '\(name)' of run \(run.id) is a\(step.op.first.map { "aeiou".contains($0) } == true ? "n" : "") "
                    + "\(step.op) step, not a model; \(list)")
        }
        guard run.environment.engineVersion == EngineVersion.current else {
            throw WorkflowFailure.invalid(
                "run \(run.id) was trained by engine \(run.environment.engineVersion), and this is engine "
                    + "\(EngineVersion.current); 'athanor reproduce \(run.id)' trains it again with this one")
        }
        guard case .model(let model) = try outputs.output(StepReference(step: name)) else {
            throw WorkflowFailure.invalid("step '\(name)' of run \(run.id) produced no model")
        }
        // Back from the model's input to the dataset a `load` (or `synthetic`) made: every preprocess on the
        // way is a transform to replay, a split only chooses rows.
        var transforms: [Preprocess.Fitted] = []
        var reference = try input("input", of: step)
        for _ in 0...outputs.plan.steps.count {
            let source = try outputs.step(reference.step)
            switch source.kind {
            case .preprocess?:
                transforms.insert(try outputs.fittedTransforms(of: source.name), at: 0)
                guard let key = reference.output, let applied = source.configuration["apply"]?[key]?.string,
                    let next = StepReference(applied)
                else { throw EngineError("'\(reference)' is no output of step '\(source.name)'") }
                reference = next
            case .split?:
                reference = try input("input", of: source)
            case .load?, .synthetic?:
                let raw = try outputs.dataset(reference)
                let schema = try Self.schema(of: raw, model: model, transforms: transforms)
                let lineage = Lineage(
                    runID: run.id, step: name, notebook: run.notebook, notebookSHA256: run.notebookSHA256,
                    datasets: run.datasets, engineVersion: run.environment.engineVersion,
                    toolVersion: run.environment.toolVersion, trained: run.finished ?? run.started)
                return ModelBundle(model: model, transforms: transforms, schema: schema, lineage: lineage)
            default:
                throw WorkflowFailure.invalid(
                    "the data of model '\(name)' comes through step '\(source.name)' (\(source.op)), which "
                        + "serving cannot replay: only load, synthetic, split and preprocess steps can stand "
                        + "between the data and the model")
            }
        }
        throw EngineError("the steps before model '\(name)' refer to each other in a loop")
    }

    private static func input(_ key: String, of step: PlannedStep) throws -> StepReference {
        guard let text = step.configuration[key]?.string, let reference = StepReference(text) else {
            throw EngineError("step '\(step.name)' has no '\(key)' dataset")
        }
        return reference
    }

    /// The raw columns of `raw`, what each accepts, and the classes the model answers with (from its
    /// prediction of the first row, which also proves the chain runs).
    private static func schema(of raw: Dataset, model: Model, transforms: [Preprocess.Fitted]) throws -> RawSchema {
        let first = transforms.first
        let columns = raw.columns.enumerated().map { index, column in
            var described = RawSchema.Column(
                name: column.name, kind: column.kind,
                missingAllowed: model.acceptsMissing
                    || first?.imputations.contains { $0.column == column.name } == true,
                unseenAllowed: first?.encodings.contains { $0.column == column.name } == true)
            if column.kind == .numeric { (described.mean, described.deviation) = Self.moments(raw.features, index) }
            return described
        }
        var schema = RawSchema(
            columns: columns, target: raw.target?.name, task: model.task.names.joined(separator: ","))
        if raw.rowCount > 0 {
            var features = raw.rows([0])
            features.target = nil
            for fitted in transforms { features = try fitted.apply(features) }
            if case .classes(_, _, let classes) = try model.predict(features) {
                schema.classes = classes.names
                schema.classValues = classes.values
            }
        }
        return schema
    }

    /// The mean and population standard deviation of a column's values present, for the drift gauge.
    private static func moments(_ matrix: Matrix, _ column: Int) -> (Double?, Double?) {
        var count = 0.0
        var sum = 0.0
        var squares = 0.0
        for row in 0..<matrix.rows {
            let value = matrix[row, column]
            guard value.isFinite else { continue }
            count += 1
            sum += value
        }
        guard count > 0 else { return (nil, nil) }
        let mean = sum / count
        for row in 0..<matrix.rows {
            let value = matrix[row, column]
            if value.isFinite { squares += (value - mean) * (value - mean) }
        }
        return (mean, (squares / count).squareRoot())
    }
}
