import Foundation
import Workflows

/// One `athanor push`: the experiments it found or made, and each run's requests, recorded in the local
/// store as the server acknowledges them.
struct PushSession {
    let client: MLflowClient
    let store: RunStore
    let project: Project
    let pushes: [String: MLflowPushRecord]
    let console: Console
    var experiments: [String: String] = [:]

    init(client: MLflowClient, store: RunStore, project: Project, pushes: [String: MLflowPushRecord], console: Console)
    {
        self.client = client
        self.store = store
        self.project = project
        self.pushes = pushes
        self.console = console
    }

    mutating func push(_ run: RunRecord, experiment name: String) throws -> PushResult {
        let experimentID = try self.experimentID(name)
        let plan = PushPlan(for: run, in: project)
        let remote = try find(run.id, in: experimentID)
        func result(_ outcome: PushResult.Outcome, _ id: String) -> PushResult {
            let counts = plan.counts
            let summary = [
                Self.count(counts.params, "param"),
                Self.count(counts.metrics, "metric") + " with "
                    + Self.count(counts.points, "series point"), Self.count(counts.datasets, "dataset"),
                Self.count(counts.artifacts, "artifact"),
            ].joined(separator: ", ")
            return PushResult(
                run: run, outcome: outcome, experiment: name, experimentID: experimentID, mlflowRunID: id,
                url: "\(client.shown)/#/experiments/\(experimentID)/runs/\(id)", summary: summary)
        }
        var record = MLflowPushRecord(
            runID: run.id, server: client.base, experimentID: experimentID, mlflowRunID: remote?.id ?? "", done: 0,
            total: plan.operations.count)
        if let remote, remote.complete {
            record.done = record.total
            record.completed = Date()
            try store.recordMLflowPush(record)
            return result(.already, remote.id)
        }
        for note in plan.notes { console.printError("athanor: note: run \(run.id): \(note)") }
        let artifactURI: String
        if let remote {
            artifactURI = remote.artifactURI
            if let local = pushes[run.id], local.mlflowRunID == remote.id, local.total == record.total {
                record.done = local.done
            }
        } else {
            let created = try client.post(
                "runs/create",
                [
                    "experiment_id": experimentID, "start_time": plan.startTime, "run_name": plan.runName,
                    "tags": [["key": "athanor.run_id", "value": run.id]],
                ])
            let info = (created["run"] as? [String: Any])?["info"] as? [String: Any]
            guard let id = info?["run_id"] as? String else {
                throw MLflowError.notMLflow(server: client.shown, endpoint: "runs/create", status: 200, contentType: "")
            }
            record.mlflowRunID = id
            artifactURI = info?["artifact_uri"] as? String ?? ""
        }
        let resumed = remote != nil
        try store.recordMLflowPush(record)
        let root = Self.proxyPath(artifactURI)
        if root == nil, plan.operations.contains(where: { if case .artifact = $0 { true } else { false } }) {
            console.printError(
                "athanor: note: run \(run.id): the server keeps artifacts at '\(artifactURI)', which its artifact "
                    + "proxy does not serve (mlflow server --artifacts-destination); artifacts not sent")
        }
        for index in record.done..<plan.operations.count {
            try send(plan.operations[index], runID: record.mlflowRunID, artifactRoot: root)
            record.done = index + 1
            if record.done == record.total { record.completed = Date() }
            try store.recordMLflowPush(record)
        }
        return result(resumed ? .resumed : .pushed, record.mlflowRunID)
    }

    func send(_ operation: PushOperation, runID: String, artifactRoot: String?) throws {
        switch operation {
        case .batch(let batch):
            try client.post("runs/log-batch", json: batch.body(runID: runID))
        case .inputs(let inputs):
            try client.post("runs/log-inputs", ["run_id": runID, "datasets": inputs.map(\.json)])
        case .artifact(let upload):
            guard let artifactRoot else { return }
            let data: Data
            switch upload.content {
            case .bytes(let bytes): data = Data(bytes)
            case .file(let path): data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
            }
            try client.putArtifact("\(artifactRoot)/\(upload.path)", data)
        case .finish(let status, let endTime):
            try client.post("runs/update", ["run_id": runID, "status": status, "end_time": endTime])
        case .markComplete:
            try client.post("runs/set-tag", ["run_id": runID, "key": "athanor.push", "value": "complete"])
        }
    }

    /// The experiment named `name`, created when missing; a deleted one is refused, as MLflow would not let a
    /// new one take its name.
    mutating func experimentID(_ name: String) throws -> String {
        if let id = experiments[name] { return id }
        let id: String
        do {
            let found = try client.get("experiments/get-by-name", query: ["experiment_name": name])
            guard let experiment = found["experiment"] as? [String: Any],
                let found = experiment["experiment_id"] as? String
            else {
                throw MLflowError.notMLflow(
                    server: client.shown, endpoint: "experiments/get-by-name", status: 200, contentType: "")
            }
            if experiment["lifecycle_stage"] as? String == "deleted" {
                throw WorkflowFailure.invalid(
                    "the experiment '\(name)' (id \(found)) is deleted on \(client.shown); restore it "
                        + "('mlflow experiments restore --experiment-id \(found)') or push with --experiment OTHER")
            }
            id = found
        } catch MLflowError.refused(_, 404, "RESOURCE_DOES_NOT_EXIST", _) {
            let created = try client.post("experiments/create", ["name": name])
            guard let made = created["experiment_id"] as? String else {
                throw MLflowError.notMLflow(
                    server: client.shown, endpoint: "experiments/create", status: 200, contentType: "")
            }
            id = made
        }
        experiments[name] = id
        return id
    }

    /// The MLflow run that holds the Athanor run `id` (its tag `athanor.run_id`), with whether its push ended.
    func find(_ id: String, in experimentID: String) throws -> (id: String, artifactURI: String, complete: Bool)? {
        let found = try client.post(
            "runs/search",
            [
                "experiment_ids": [experimentID], "filter": "tags.`athanor.run_id` = '\(id)'",
                "run_view_type": "ACTIVE_ONLY", "max_results": 50,
            ])
        let runs = (found["runs"] as? [[String: Any]] ?? []).compactMap {
            run -> (id: String, artifactURI: String, complete: Bool)? in
            guard let info = run["info"] as? [String: Any], let runID = info["run_id"] as? String else { return nil }
            let tags = (run["data"] as? [String: Any])?["tags"] as? [[String: Any]] ?? []
            let complete = tags.contains {
                $0["key"] as? String == "athanor.push" && $0["value"] as? String == "complete"
            }
            return (runID, info["artifact_uri"] as? String ?? "", complete)
        }
        return runs.first(where: \.complete) ?? runs.first
    }

    static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    /// The path under the artifact proxy of a run's root `mlflow-artifacts:/1/RUN/artifacts`; nil when the
    /// server keeps the run's artifacts somewhere the proxy does not serve.
    static func proxyPath(_ uri: String) -> String? {
        guard uri.hasPrefix("mlflow-artifacts:") else { return nil }
        var path = String(uri.dropFirst("mlflow-artifacts:".count))
        if path.hasPrefix("//") {
            // mlflow-artifacts://host:port/1/RUN/artifacts: the host is the server's own.
            path = String(path.dropFirst(2))
            guard let slash = path.firstIndex(of: "/") else { return nil }
            path = String(path[slash...])
        }
        while path.hasPrefix("/") { path.removeFirst() }
        while path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? nil : path
    }
}
