import Foundation
import Pushing
import TestSupport
import Workflows

/// A project with hand-made runs in its store, pushed in-process as `athanor push` does.
struct PushFixture {
    let folder: TemporaryFolder
    var project: Project { Project(root: folder.url) }

    init() throws {
        folder = try TemporaryFolder(prefix: "athanor-push")
        try FileManager.default.createDirectory(at: project.stateDirectory, withIntermediateDirectories: true)
    }

    /// A finished run, as `athanor run` records it: `points` loss points, a dataset, a report and an artifact
    /// in the cache; `id` unique in each test so that runs on the shared server never meet.
    static func run(_ id: String = Self.newID(), points: Int = 40, sweep: String? = nil) -> RunRecord {
        let loss = (0..<points).map { RecordedPoint($0 + 1, 1.0 / Double($0 + 1)) }
        var run = RunRecord(
            id: id, notebook: "exp/blobs.md", notebookSHA256: String(repeating: "ab", count: 32),
            notebookSource: "# Blobs\n\n```params\nseed: 2\n```\n", title: "Blobs \(id)",
            started: Date(timeIntervalSince1970: 1_790_000_000.25),
            finished: Date(timeIntervalSince1970: 1_790_000_002.5),
            status: .succeeded, command: ["athanor", "run", "exp/blobs.md"],
            parameters: [
                RecordedParameter(name: "seed", value: "2", overridden: false),
                RecordedParameter(name: "optimizer", value: "\"adam\"", overridden: true),
                RecordedParameter(name: "hidden", value: "[64, 32]", overridden: false),
            ],
            datasets: [
                DatasetRecord(
                    step: "data", path: "data/blobs.csv", sha256: String(repeating: "0123456789abcdef", count: 4),
                    rows: 80, columns: 3, bytes: 1234)
            ],
            metrics: [
                MetricRecord(name: "eval.accuracy", value: 0.9375),
                MetricRecord(name: "eval.confusion", value: nil, json: #"{"labels":["a","b"],"matrix":[[3,1],[0,4]]}"#),
            ],
            series: [SeriesRecord(name: "model.loss", points: loss)],
            environment: EnvironmentRecord(
                toolVersion: "9.9.9", engineVersion: "8.8.8", os: "Debian", cpuModel: "CPU", cores: 2,
                gitCommit: "abc123def", gitDirty: false),
            sweep: sweep)
        run.tags = ["baseline": "yes"]
        run.note = "first try"
        return run
    }

    static func newID() -> String { String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(8)) }

    /// Saves `run` with its tags, its report file and, under step `job`, the artifact `out.txt` in the cache.
    func save(_ run: RunRecord, artifact: String? = "hello\n") throws {
        var run = run
        if let artifact {
            let key = try ObjectStore(directory: project.cacheDirectory).put(Array(artifact.utf8))
            run.artifacts = [ArtifactRecord(step: "job", name: "out.txt", sha256: key, size: artifact.utf8.count)]
        }
        let store = try RunStore(path: project.storePath)
        try store.save(run)
        try store.tag(run.id, run.tags, note: run.note)
        try FileManager.default.createDirectory(at: project.reportsDirectory, withIntermediateDirectories: true)
        try "<html>report of \(run.id)</html>".write(
            to: project.reportsDirectory.appendingPathComponent("\(run.id).html"), atomically: true, encoding: .utf8)
    }

    struct Pushed {
        var status: CommandStatus
        var output: String
        var error: String
    }

    /// `athanor push TARGETS --mlflow URL [--json]` in this project, with `environment` as the process's.
    func push(
        _ targets: [String], url: String?, experiment: String? = nil, json: Bool = false,
        environment: [String: String] = [:]
    ) -> Pushed {
        let console = CapturedConsole()
        let invocation = Invocation(console: console, directory: folder.url, command: ["athanor", "push"] + targets)
        let status = PushWorkflow(
            in: invocation, environment: ["ATHANOR_PUSH_RETRY_DELAY": "0.01"].merging(environment) { $1 }
        )
        .push(targets, mlflow: url, experiment: experiment, json: json)
        return Pushed(status: status, output: console.output, error: console.error)
    }

    func pushes(to url: String) throws -> [String: MLflowPushRecord] {
        try RunStore(path: project.storePath).mlflowPushes(to: url)
    }
}
