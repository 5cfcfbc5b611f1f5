import FlyingFox
import Foundation
import Report
import Runs
import Serving
import TestSupport

/// A project with a store of known runs, and requests to its browser as the server would make them.
struct ServeFixture {
    let folder: TemporaryFolder
    var project: Project { Project(root: folder.url) }

    static let notebook = """
        ---
        title: Blobs
        ---

        ```params
        lr: 0.1
        ```

        ```step data
        op: synthetic
        kind: blobs
        rows: 20
        ```

        Accuracy is `=eval.accuracy`.
        """

    /// Three runs of `nb.md` a minute apart: `r1` (lr 0.1, accuracy 0.8), `r2` (lr 0.01, 0.95) and a failed
    /// `r3` (lr 0.01), `r2` with an artifact `model/weights.bin` holding `artifact`.
    init() throws {
        folder = try TemporaryFolder(prefix: "athanor-serve")
        let store = try RunStore(path: project.storePath)
        let sha = try ObjectStore(directory: project.cacheDirectory).put(Array(Self.artifact.utf8))
        try store.save(Self.run("r1", minute: 0, lr: "0.1", accuracy: 0.8))
        var second = Self.run("r2", minute: 1, lr: "0.01", accuracy: 0.95)
        second.artifacts = [ArtifactRecord(step: "model", name: "weights.bin", sha256: sha, size: 5)]
        try store.save(second)
        try store.save(Self.run("r3", minute: 2, lr: "0.01", accuracy: nil, status: .failed))
    }

    static let artifact = "bytes"

    static func run(
        _ id: String, minute: Int, lr: String, accuracy: Double?, status: RunStatus = .succeeded, sweep: String? = nil
    ) -> RunRecord {
        let started = Date(timeIntervalSince1970: 1_790_000_000 + Double(minute * 60))
        return RunRecord(
            id: id, notebook: "nb.md", notebookSHA256: String(repeating: "ab", count: 32), notebookSource: notebook,
            title: "Blobs", started: started, finished: started.addingTimeInterval(3), status: status,
            command: ["athanor", "run", "nb.md", "-p", "lr=\(lr)"],
            parameters: [
                RecordedParameter(name: "lr", value: lr, overridden: true),
                RecordedParameter(name: "seed", value: "1", overridden: false),
            ],
            datasets: [
                DatasetRecord(
                    step: "data", path: "blobs.csv", sha256: String(repeating: "0f", count: 32), rows: 20,
                    columns: 3, bytes: 100)
            ],
            metrics: accuracy.map { [MetricRecord(name: "eval.accuracy", value: $0)] } ?? [],
            series: [SeriesRecord(name: "model.loss", points: (1...5).map { RecordedPoint($0, 1 / Double($0)) })],
            environment: EnvironmentRecord(
                toolVersion: "9.9.9", engineVersion: "8.8.8", os: "Debian", cpuModel: "CPU", cores: 2,
                gitCommit: nil, gitDirty: nil),
            sweep: sweep)
    }

    func browser(token: String? = nil) throws -> RunBrowser {
        RunBrowser(project: project, templates: try ReportTemplates.builtIn(), access: Access(token: token))
    }

    /// The answer to `GET target` (a raw path and query, as sent), with `headers`.
    func get(_ target: String, headers: HTTPHeaders = [:], token: String? = nil) async throws -> Answer {
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let request = HTTPRequest(
            method: .GET, version: .http11,
            target: HTTPRequest.Target(path: parts[0], query: parts.count > 1 ? parts[1] : ""), headers: headers,
            body: HTTPBodySequence(data: Data()))
        let response = try await browser(token: token).handleRequest(request)
        return Answer(status: response.statusCode.code, headers: response.headers, body: try await response.bodyData)
    }

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }
}
