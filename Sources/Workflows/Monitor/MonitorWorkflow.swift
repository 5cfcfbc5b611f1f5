import Drift
import Engine
import Foundation
import Notebook
import Report

/// `athanor monitor RUN[:STEP] --data NEW.csv | --requests FILE [-o drift.html] [--threshold 0.2] [--json]`:
/// new data against the statistics of the data a run's model learnt from. Exit 0 when every column's PSI stays
/// below the threshold, 1 when one reaches it, 2 for bad input.
public struct MonitorWorkflow: Sendable {
    public var options: Options
    public var invocation: Invocation

    public init(_ options: Options, in invocation: Invocation) {
        self.options = options
        self.invocation = invocation
    }

    public func run() -> CommandStatus {
        perform(invocation.console) {
            let report: DriftReport
            do {
                report = try compare()
            } catch let failure as WorkflowFailure {
                throw failure
            } catch {
                // Exit 1 means drift: every other way to fail is bad input.
                throw WorkflowFailure.invalid(error)
            }
            let page = invocation.url(options.output ?? "drift-\(report.run).html")
            let html = try DriftReportRenderer(templates: try ReportTemplates.builtIn()).render(report)
            do {
                try Data(html.utf8).write(to: page, options: .atomic)
            } catch {
                throw WorkflowFailure.invalid(
                    "cannot write the report \(invocation.relativePath(page)): its folder is missing or not writable")
            }
            if options.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                invocation.console.print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                invocation.console.print(MonitorText.summary(report, page: invocation.relativePath(page)))
            }
            return report.drifted.isEmpty ? .success : .failure
        }
    }

    /// The drift of the new data; throws for bad input.
    func compare() throws -> DriftReport {
        let project = invocation.project
        let store = try openStoreForReading(project)
        let (runName, stepName) = Self.split(options.target)
        let run = try Lookup.run(runName, in: store)
        let plan: RunPlan
        switch Reproduction.plan(of: run, in: project) {
        case .success(let checked): plan = checked
        case .failure(let diagnostics):
            throw WorkflowFailure.invalid(
                "run \(run.id)'s notebook, as recorded, no longer checks: \(diagnostics.diagnostics.first?.message ?? "")"
            )
        }
        let training = try trainingData(of: run, plan: plan, step: stepName)
        let statistics = try RecordedStatistics.of(
            training.dataset, in: run, objects: ObjectStore(directory: project.cacheDirectory))
        let load = training.load.flatMap { name in plan.steps.first { $0.name == name } }
        let source: NewData
        if let data = options.data {
            source = try NewData.csv(at: invocation.url(data), named: data, like: load)
        } else {
            let path = options.requests ?? ""
            source = try NewData.requests(at: invocation.url(path), named: path)
        }
        var report = try Self.report(
            statistics, source, run: run.id, step: training.model, threshold: options.threshold)
        let outputs = RecordedOutputs(run: run, plan: plan, cache: ObjectStore(directory: project.cacheDirectory))
        let model = PredictionDrift.compare(source, outputs: outputs, training: training, threshold: options.threshold)
        report.prediction = model.prediction
        report.predictionNote = model.note
        report.refusedRows = model.refusedRows
        report.refusals = model.refusals
        report.metrics = model.metrics
        return report
    }

    /// `RUN:STEP` as its two parts.
    static func split(_ target: String) -> (run: String, step: String?) {
        guard let colon = target.firstIndex(of: ":") else { return (target, nil) }
        return (String(target[..<colon]), String(target[target.index(after: colon)...]))
    }

    /// The model step named, or the run's last one, with where its raw training data came from.
    func trainingData(of run: RunRecord, plan: RunPlan, step: String?) throws -> TrainingData {
        let models = plan.steps.filter { $0.kind == .train }
        guard let name = step ?? models.last?.name else {
            throw WorkflowFailure.invalid("run \(run.id) trained no model: there is nothing to monitor")
        }
        guard let planned = plan.steps.first(where: { $0.name == name }) else {
            throw WorkflowFailure.invalid(
                "run \(run.id) has no step '\(name)'",
                notes: ["its models: " + (models.isEmpty ? "none" : models.map(\.name).joined(separator: ", "))])
        }
        guard planned.kind == .train else {
            throw WorkflowFailure.invalid(
                "step '\(name)' of run \(run.id) is a '\(planned.op)' step, not a model",
                notes: ["its models: " + (models.isEmpty ? "none" : models.map(\.name).joined(separator: ", "))])
        }
        guard let training = TrainingData.of(model: name, in: plan.steps) else {
            throw WorkflowFailure.invalid(
                "the data model '\(name)' learnt from did not come from a load step through splits and "
                    + "preprocessing, so its raw columns are unknown")
        }
        return training
    }

    /// Each training column found in the new data against its statistics.
    static func report(
        _ statistics: TrainingStatistics, _ data: NewData, run: String, step: String, threshold: Double
    ) throws -> DriftReport {
        let trained = Set(statistics.columns.map(\.name))
        let pairs = statistics.columns.compactMap { column in data.columns[column.name].map { (column, $0) } }
        let features = FeatureDrift.compare(pairs, threshold: threshold)
        guard features.contains(where: { $0.role == .feature }) else {
            throw WorkflowFailure.invalid(
                "\(data.name) shares no feature column with the data run \(run) trained on",
                notes: [
                    "expected: "
                        + statistics.columns.filter { $0.role == .feature }.map(\.name).prefix(20)
                        .joined(separator: ", ")
                ])
        }
        return DriftReport(
            run: run, step: step, dataset: statistics.dataset, trainingRows: statistics.rows, source: data.name,
            rows: data.rows, threshold: threshold, features: features,
            missingColumns: statistics.columns.filter { $0.role == .feature && data.columns[$0.name] == nil }
                .map(\.name),
            extraColumns: data.order.filter { !trained.contains($0) }, skippedLines: data.skippedLines)
    }
}
