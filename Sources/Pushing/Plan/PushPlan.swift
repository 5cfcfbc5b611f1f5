import Foundation
import Workflows

/// Everything a push of one run sends, as the requests that send it, and what it had to change to fit
/// MLflow (said to the user, never silent).
public struct PushPlan: Sendable {
    public var operations: [PushOperation]
    public var notes: [String]
    /// The run's name and tags for `runs/create`: `athanor.run_id` goes with the run, so that a push cut
    /// short after it still finds the run.
    public var runName: String
    public var startTime: Int64
    public var counts: (params: Int, metrics: Int, points: Int, datasets: Int, artifacts: Int)

    /// The plan for `run` of `project`. Deterministic: the same run gives the same requests, with the same
    /// timestamps, so that a request sent again after a failure adds nothing the server does not already hold.
    public init(for run: RunRecord, in project: Project) {
        var notes: [String] = []
        runName =
            run.title.map { "\($0) (\(run.id))" }
            ?? "\(URL(fileURLWithPath: run.notebook).lastPathComponent) (\(run.id))"
        startTime = Self.milliseconds(run.started)
        let time = Self.milliseconds(run.finished ?? run.started)

        var params: [KeyValue] = []
        for parameter in run.parameters {
            params += Self.split(
                parameter.name, Self.text(ofJSON: parameter.value), limit: MLflowLimits.paramValueLength,
                what: "parameter", notes: &notes)
        }
        var tags: [KeyValue] = [
            KeyValue("athanor.run_id", run.id), KeyValue("athanor.notebook", run.notebook),
            KeyValue("athanor.status", run.status.rawValue), KeyValue("athanor.version", run.environment.toolVersion),
            KeyValue("mlflow.source.name", run.notebook), KeyValue("mlflow.source.type", "LOCAL"),
            KeyValue("mlflow.runName", runName),
        ]
        if let sweep = run.sweep { tags.append(KeyValue("athanor.sweep", sweep)) }
        if let commit = run.environment.gitCommit { tags.append(KeyValue("mlflow.source.git.commit", commit)) }
        if let dirty = run.environment.gitDirty { tags.append(KeyValue("athanor.git_dirty", "\(dirty)")) }
        var pairs = run.tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let note = run.note { pairs.append(("mlflow.note.content", note)) }
        for (key, value) in pairs {
            tags += Self.split(key, value, limit: MLflowLimits.tagValueLength, what: "tag", notes: &notes)
        }

        var metrics: [MetricPoint] = []
        var artifacts: [ArtifactUpload] = []
        let seriesNames = Set(run.series.map(\.name))
        var finalCount = 0
        for metric in run.metrics {
            if let value = metric.value {
                // A series of the same name already ends at its final value, as MLflow's latest value.
                guard !seriesNames.contains(metric.name) else { continue }
                metrics.append(
                    MetricPoint(key: Self.mlflowKey(metric.name, &notes), value: value, step: 0, timestamp: time))
                finalCount += 1
            } else if let json = metric.json {
                artifacts.append(ArtifactUpload(path: "metrics/\(metric.name).json", content: .bytes(Array(json.utf8))))
            }
        }
        var points = 0
        for series in run.series {
            let key = Self.mlflowKey(series.name, &notes)
            for point in series.points {
                metrics.append(MetricPoint(key: key, value: point.value, step: point.index, timestamp: time))
            }
            points += series.points.count
        }
        let odd = metrics.filter { !$0.value.isFinite }
        if !odd.isEmpty {
            let names = Array(Set(odd.map(\.key))).sorted().joined(separator: ", ")
            notes.append(
                "\(odd.count) metric value\(odd.count == 1 ? " is" : "s are") NaN or infinite (\(names)): sent as NaN, "
                    + "Infinity or -Infinity; MLflow keeps NaN, and an infinity as ±1.8e308")
        }

        var operations = MLflowLimits.batches(params: params, tags: tags, metrics: metrics).map(PushOperation.batch)
        let inputs = run.datasets.map { dataset -> DatasetInput in
            let sourceJSON =
                (try? JSONSerialization.data(withJSONObject: ["uri": dataset.path], options: [.sortedKeys]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return DatasetInput(
                name: String(URL(fileURLWithPath: dataset.path).lastPathComponent.prefix(500)),
                digest: String(dataset.sha256.prefix(36)), source: sourceJSON,
                profile: "{\"num_rows\": \(dataset.rows), \"num_elements\": \(dataset.rows * dataset.columns)}",
                sha256: dataset.sha256, context: dataset.step)
        }
        if !inputs.isEmpty { operations.append(.inputs(inputs)) }

        artifacts += Self.files(of: run, in: project, notes: &notes)
        operations += artifacts.map(PushOperation.artifact)
        operations.append(.finish(status: Self.status(run.status), endTime: time))
        operations.append(.markComplete)
        self.operations = operations
        self.notes = notes
        counts = (params.count, finalCount + run.series.count, points, inputs.count, artifacts.count)
    }

    /// The report, the notebook's source and the step artifacts still in the cache.
    static func files(of run: RunRecord, in project: Project, notes: inout [String]) -> [ArtifactUpload] {
        var files: [ArtifactUpload] = []
        let manager = FileManager.default
        let kept = project.reportsDirectory.appendingPathComponent("\(run.id).html")
        let named = run.report.map {
            $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : project.root.appendingPathComponent($0)
        }
        if let report = [kept, named].compactMap({ $0 }).first(where: { manager.fileExists(atPath: $0.path) }) {
            files.append(ArtifactUpload(path: "report/\(run.id).html", content: .file(report.path)))
        } else {
            notes.append("run \(run.id) has no report to send; 'athanor render \(run.id)' writes one, then push again")
        }
        let notebook = URL(fileURLWithPath: run.notebook).lastPathComponent
        files.append(ArtifactUpload(path: "notebook/\(notebook)", content: .bytes(Array(run.notebookSource.utf8))))
        let objects = ObjectStore(directory: project.cacheDirectory)
        var missing: [String] = []
        for artifact in run.artifacts {
            let name = "\(artifact.step)/\(artifact.name)"
            guard ArtifactsWorkflow.isSafe(artifact.step), ArtifactsWorkflow.isSafe(artifact.name),
                let path = try? objects.path(of: artifact.sha256), manager.fileExists(atPath: path)
            else {
                missing.append(name)
                continue
            }
            files.append(ArtifactUpload(path: "artifacts/\(name)", content: .file(path)))
        }
        if !missing.isEmpty {
            notes.append(
                "\(missing.count) artifact\(missing.count == 1 ? " is" : "s are") not in the cache and not sent "
                    + "(\(missing.joined(separator: ", "))); 'athanor reproduce \(run.id)' makes them again")
        }
        return files
    }

    static func split(_ key: String, _ value: String, limit: Int, what: String, notes: inout [String]) -> [KeyValue] {
        let name = mlflowKey(key, &notes)
        let parts = MLflowLimits.parts(of: value, limit: limit)
        guard parts.count > 1 else { return [KeyValue(name, value)] }
        notes.append(
            "\(what) '\(key)' is \(value.unicodeScalars.count) characters, more than MLflow's \(limit): "
                + "sent in \(parts.count) parts, \(name).1 to \(name).\(parts.count)")
        return parts.enumerated().map { KeyValue("\(name).\($0.offset + 1)", $0.element) }
    }

    static func mlflowKey(_ name: String, _ notes: inout [String]) -> String {
        let key = MLflowLimits.name(name)
        if key != name {
            notes.append("'\(name)' is sent as '\(key)' (MLflow allows letters, digits, _ - . : / and space)")
        }
        return key
    }

    /// A parameter's value as MLflow shows it: a string without its quotes, anything else as its JSON.
    static func text(ofJSON json: String) -> String {
        guard json.hasPrefix("\""),
            let value = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
                as? String
        else { return json }
        return value
    }

    static func status(_ status: RunStatus) -> String {
        switch status {
        case .succeeded: "FINISHED"
        case .failed: "FAILED"
        case .interrupted, .abandoned, .running, .queued: "KILLED"
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
