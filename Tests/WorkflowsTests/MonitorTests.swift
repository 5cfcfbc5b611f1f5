import Drift
import Foundation
import TestSupport
import Testing
import Workflows

/// `athanor monitor`: the training statistics a run records, and new data compared with them.
struct MonitorTests {
    static let notebook = """
        ```step data
        op: load
        path: train.csv
        target: y
        missing: ["-"]
        ```

        ```step split
        op: split
        input: data
        test: 0.25
        ```

        ```step prep
        op: preprocess
        fit: split.train
        apply: {train: split.train, test: split.test}
        impute: all
        standardize: [x1, x2]
        onehot: [color]
        ```

        ```step model
        op: train
        model: logistic
        input: prep.train
        ```

        """

    /// `rows` rows of x1, x2 (a twentieth missing, as "-"), color and y; `shift` moves x1, `colors` the mix.
    static func csv(rows: Int, seed: UInt64, shift: Double = 0, colors: [String] = ["red", "red", "green", "blue"])
        -> String
    {
        var state = seed
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var lines = ["x1,x2,color,y"]
        for _ in 0..<rows {
            let x1 = next() * 10
            let x2 = next() + next()
            let color = colors[Int(next() * Double(colors.count)) % colors.count]
            let x2Text = next() < 0.05 ? "-" : String(x2)
            lines.append("\(x1 + shift),\(x2Text),\(color),\(x1 + 3 * x2 > 7 ? "yes" : "no")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func trained() throws -> (Workspace, String) {
        let workspace = try Workspace()
        _ = try workspace.folder.write(Self.notebook, to: "drift.md")
        _ = try workspace.folder.write(Self.csv(rows: 2_000, seed: 1), to: "train.csv")
        let (status, console) = workspace.run("drift.md")
        #expect(status == .success, "\(console.error)")
        let id = try Workspace.record(console)["id"] as? String ?? ""
        return (workspace, id)
    }

    func monitor(_ workspace: Workspace, _ arguments: String, data: String? = nil, requests: String? = nil)
        -> (CommandStatus, CapturedConsole)
    {
        let (invocation, console) = workspace.invocation("monitor \(arguments)")
        let options = MonitorWorkflow.Options(
            target: arguments, data: data, requests: requests, output: "drift.html", threshold: 0.2, json: false)
        return (MonitorWorkflow(options, in: invocation).run(), console)
    }

    @Test func aNewRunRecordsTheStatisticsOfItsRawTrainingPart() throws {
        let (workspace, id) = try trained()
        defer { workspace.remove() }
        let (invocation, console) = workspace.invocation("monitor \(id) --json")
        let options = MonitorWorkflow.Options(
            target: id, data: "train.csv", requests: nil, output: "drift.html", threshold: 0.2, json: true)
        #expect(MonitorWorkflow(options, in: invocation).run() == .success, "\(console.error)")
        let report = try JSONDecoder().decode(DriftReport.self, from: Data(console.output.utf8))
        #expect(report.dataset == "split.train")
        #expect(report.trainingRows == 1_500)
        #expect(report.features.map(\.name) == ["x1", "x2", "color", "y"])
        #expect(report.features.map(\.test) == [.ks, .ks, .chi2, .chi2])
        let x2 = try #require(report.features.first { $0.name == "x2" })
        #expect(x2.trainingMissingRate > 0.03 && x2.trainingMissingRate < 0.07)
        // Recorded at the run: the preview of split.train names a statistics object of the cache.
        let store = try RunStore(readingAt: workspace.url.appendingPathComponent(".athanor/runs.sqlite").path)
        let split = try #require(try store.run(id)?.steps.first { $0.name == "split" })
        let key = try #require(split.previews.first { $0.name == "split.train" }?.statistics)
        let objects = ObjectStore(directory: workspace.url.appendingPathComponent(".athanor/cache"))
        let bytes = try #require(try objects.get(key))
        let statistics = try JSONDecoder().decode(TrainingStatistics.self, from: Data(bytes))
        #expect(statistics.rows == 1_500)
        #expect(statistics.columns.first?.numeric?.edges.count == 9)
        #expect(split.previews.first { $0.name == "split.test" }?.statistics == nil)
    }

    @Test func theTrainingDistributionDoesNotDrift() throws {
        let (workspace, id) = try trained()
        defer { workspace.remove() }
        _ = try workspace.folder.write(Self.csv(rows: 3_000, seed: 7), to: "resample.csv")
        for file in ["train.csv", "resample.csv"] {
            let (status, console) = monitor(workspace, id, data: file)
            #expect(status == .success, "\(file): \(console.output) \(console.error)")
            #expect(console.output.hasPrefix("no drift: 4 columns of \(file)"))
        }
        #expect(FileManager.default.fileExists(atPath: workspace.folder.path("drift.html")))
    }

    @Test func aShiftedCopyDriftsInExactlyTheShiftedColumns() throws {
        let (workspace, id) = try trained()
        defer { workspace.remove() }
        let shifted = Self.csv(rows: 2_000, seed: 1, shift: 3, colors: ["blue", "blue", "blue", "green", "red"])
        _ = try workspace.folder.write(shifted, to: "shifted.csv")
        let (status, console) = monitor(workspace, "\(id):model", data: "shifted.csv")
        #expect(status == .failure, "\(console.error)")
        let names = console.output.split(separator: "\n").dropFirst(2).prefix { $0.hasPrefix("  ") }
            .map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(names == ["x1", "color"], "\(console.output)")
        let html = try String(contentsOfFile: workspace.folder.path("drift.html"), encoding: .utf8)
        #expect(html.contains("<title>x1: PSI "))
        #expect(html.contains("<title>color: PSI "))
        #expect(!html.contains("<title>x2: PSI "))
        #expect(html.contains("content=\"default-src &#39;none&#39;; style-src &#39;sha256-"))
        #expect(!html.contains("<script"))
    }

    @Test func withoutRecordedStatisticsTheCachedDatasetServesElseMonitorRefuses() throws {
        let (workspace, id) = try trained()
        defer { workspace.remove() }
        let store = try RunStore(readingAt: workspace.url.appendingPathComponent(".athanor/runs.sqlite").path)
        let split = try #require(try store.run(id)?.steps.first { $0.name == "split" })
        let key = try #require(split.previews.first { $0.name == "split.train" }?.statistics)
        let objects = ObjectStore(directory: workspace.url.appendingPathComponent(".athanor/cache"))
        // As for a run recorded before statistics were kept: computed again from the cached split.train.
        try FileManager.default.removeItem(atPath: try objects.path(of: key))
        let (status, console) = monitor(workspace, id, data: "train.csv")
        #expect(status == .success, "\(console.error)")
        try objects.clear()
        let (refused, message) = monitor(workspace, id, data: "train.csv")
        #expect(refused == .invalid)
        #expect(
            message.error.hasPrefix(
                "athanor: error: run \(id) has no training statistics of 'split.train' (it ran before Athanor "
                    + "recorded them, or 'athanor cache clear' removed them) and its data is no longer in the cache"),
            "\(message.error)")
    }

    @Test func aRequestLogIsReadLineByLine() throws {
        let (workspace, id) = try trained()
        defer { workspace.remove() }
        let log = """
            {"time":"2026-12-02T17:00:00.000Z","inputs":{"x1":1.5,"x2":0.9,"color":"red"},"prediction":"no"}
            {"time":"2026-12-02T17:00:01.000Z","inputs":{"x1":7.5,"x2":null,"color":"green"},"prediction":"yes"}
            not json
            {"time":"2026-12-02T17:00:02.000Z","inputs":{"x1":4,"x2":1.1,"color":"violet"},"prediction":"yes"}
            {"time":"2026-12-02T17:00:03.000Z","prediction":"yes"}

            """
        _ = try workspace.folder.write(log, to: "requests.jsonl")
        let (invocation, console) = workspace.invocation("monitor")
        let options = MonitorWorkflow.Options(
            target: id, data: nil, requests: "requests.jsonl", output: "drift.html", threshold: 0.2, json: true)
        _ = MonitorWorkflow(options, in: invocation).run()
        let report = try JSONDecoder().decode(DriftReport.self, from: Data(console.output.utf8))
        #expect(report.rows == 3)
        #expect(report.skippedLines == 2)
        #expect(report.features.map(\.name) == ["x1", "x2", "color", "y"])
        let x2 = try #require(report.features.first { $0.name == "x2" })
        #expect(x2.bins.last?.new == 1)
        let color = try #require(report.features.first { $0.name == "color" })
        #expect(color.newCategories == 1)
        #expect(report.features.last?.bins.map(\.new).reduce(0, +) == 3)
    }

    @Test(arguments: [
        ("nope", "train.csv", "athanor: error: no run 'nope'"),
        ("RUN", "absent.csv", "athanor: error: no file absent.csv"),
        ("RUN:prep", "train.csv", "athanor: error: step 'prep' of run RUN is a 'preprocess' step, not a model"),
        ("RUN:other", "train.csv", "athanor: error: run RUN has no step 'other'"),
        ("RUN", "unrelated.csv", "athanor: error: unrelated.csv shares no feature column with the data run RUN"),
    ])
    func badInputExitsTwo(_ target: String, _ data: String, _ message: String) throws {
        let (workspace, id) = try trained()
        defer { workspace.remove() }
        _ = try workspace.folder.write("a,b\n1,2\n", to: "unrelated.csv")
        let (status, console) = monitor(workspace, target.replacingOccurrences(of: "RUN", with: id), data: data)
        #expect(status == .invalid)
        #expect(console.error.hasPrefix(message.replacingOccurrences(of: "RUN", with: id)), "\(console.error)")
    }
}
