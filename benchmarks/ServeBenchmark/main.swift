import FlyingFox
import Foundation
import Report
import Runs
import Serving

// Times `athanor serve`'s pages in process over a store of many runs, and makes such a store for
// benchmarks/serve.sh.
//
//   swift run -c release ServeBenchmark [RUNS (default 5000)] [REPEAT (default 20)] [--keep DIR]
//
// Each run has 3 parameters, 4 metrics, 3 steps, a dataset and a 20-point loss curve. With --keep DIR the
// store is made in DIR (a project) and left there; without, in a temporary folder removed at the end.

var arguments = Array(CommandLine.arguments.dropFirst())
var keep: String?
if let index = arguments.firstIndex(of: "--keep"), index + 1 < arguments.count {
    keep = arguments[index + 1]
    arguments.removeSubrange(index...index + 1)
}
let count = arguments.first.flatMap { Int($0) } ?? 5_000
let repeats = arguments.count > 1 ? Int(arguments[1]) ?? 20 : 20

func milliseconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func run(_ index: Int) -> RunRecord {
    let started = Date(timeIntervalSince1970: 1_790_000_000 + Double(index) * 60)
    let lr = [0.1, 0.01, 0.001][index % 3]
    let steps = ["data", "model", "eval"].map {
        StepRecord(
            name: $0, op: $0 == "model" ? "train" : "load", cacheKey: "k\($0)", cache: .miss, seconds: 0.1,
            status: .succeeded)
    }
    return RunRecord(
        id: String(format: "%08x", index * 2_654_435_761 % 4_294_967_296), notebook: "nb\(index % 5).md",
        notebookSHA256: String(repeating: "ab", count: 32), notebookSource: "# Bench\n", title: "Bench",
        started: started, finished: started.addingTimeInterval(Double(index % 50)),
        status: index % 17 == 0 ? .failed : .succeeded,
        command: ["athanor", "run", "nb.md"],
        parameters: [
            RecordedParameter(name: "lr", value: "\(lr)", overridden: true),
            RecordedParameter(name: "epochs", value: "\(10 + index % 4)", overridden: false),
            RecordedParameter(name: "optimizer", value: "\"adam\"", overridden: false),
        ],
        steps: steps,
        datasets: [
            DatasetRecord(
                step: "data", path: "d.csv", sha256: String(repeating: "0f", count: 32), rows: 100,
                columns: 5, bytes: 1000)
        ],
        metrics: [
            MetricRecord(name: "eval.accuracy", value: Double(index % 100) / 100),
            MetricRecord(name: "eval.f1", value: Double(index % 90) / 90),
            MetricRecord(name: "eval.loss", value: 1 / Double(index + 1)),
            MetricRecord(name: "eval.auc", value: 0.5),
        ],
        series: [SeriesRecord(name: "model.loss", points: (1...20).map { RecordedPoint($0, 1 / Double($0)) })],
        environment: EnvironmentRecord(
            toolVersion: "0", engineVersion: "0", os: "Linux", cpuModel: "cpu", cores: 2,
            gitCommit: nil, gitDirty: nil))
}

do {
    let root = URL(fileURLWithPath: keep ?? NSTemporaryDirectory() + "athanor-serve-bench-\(UUID().uuidString)")
    let project = Project(root: root)
    if !FileManager.default.fileExists(atPath: project.storePath) {
        let store = try RunStore(path: project.storePath)
        for index in 0..<count { try store.save(run(index)) }
    }
    defer { if keep == nil { try? FileManager.default.removeItem(at: root) } }
    let templates = try ReportTemplates.builtIn()
    let browser = RunBrowser(project: project, templates: templates, access: Access(token: nil))
    let someID = run(count / 2).id
    // Last, `/` again from a new browser each time: nothing kept, the store read and parsed for each request
    // (as after every change to the store), with the store's opening.
    let targets = ["/", "/?where=eval.accuracy%3E0.9&sort=metric:eval.f1", "/?page=30", "/api/runs/\(someID)"]
    for (target, fresh) in targets.map({ ($0, false) }) + [("/", true)] {
        var times: [Double] = []
        var bytes = 0
        for _ in 0..<repeats {
            let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
            let request = HTTPRequest(
                method: .GET, version: .http11,
                target: HTTPRequest.Target(path: parts[0], query: parts.count > 1 ? parts[1] : ""), headers: [:],
                body: HTTPBodySequence(data: Data()))
            times.append(
                try await milliseconds {
                    let server =
                        fresh ? RunBrowser(project: project, templates: templates, access: Access(token: nil)) : browser
                    bytes = try await server.handleRequest(request).bodyData.count
                })
        }
        let first = times[0]
        times.sort()
        print(
            String(
                format: "%@%@ over %d runs: median %.1f ms, min %.1f ms over %d requests (the first %.1f ms); %d bytes",
                target, fresh ? " (a new browser each request)" : "", count, times[times.count / 2], times[0], repeats,
                first, bytes))
    }
} catch {
    print("ServeBenchmark: \(error)")
    exit(1)
}
