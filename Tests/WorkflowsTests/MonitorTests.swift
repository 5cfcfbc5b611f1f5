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

        ```step eval
        op: evaluate
        model: model
        input: prep.test
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
        // x1 moves y = [x1 + 3·x2 > 7], so the model's predictions move too; x2 stays.
        #expect(names == ["x1", "color", "prediction"], "\(console.output)")
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
        #expect(report.features.map(\.name) == ["x1", "x2", "color"])
        let x2 = try #require(report.features.first { $0.name == "x2" })
        #expect(x2.bins.last?.new == 1)
        let color = try #require(report.features.first { $0.name == "color" })
        #expect(color.newCategories == 1)
        // The logged predictions, against the model's own predictions of split.train; no target, no metric.
        let prediction = try #require(report.prediction)
        #expect(prediction.role == .prediction)
        #expect(prediction.bins.first { $0.label == "no" }?.new == 1)
        #expect(prediction.bins.first { $0.label == "yes" }?.new == 2)
        #expect(prediction.bins.map(\.training).reduce(0, +) == 1_500)
        #expect(report.metrics.isEmpty)
    }

    /// Each row of a CSV with the target: the label and the model's prediction of it, scored row by row as
    /// `serve-model` scores a request.
    static func servedAccuracy(_ workspace: Workspace, id: String, csv: String) throws -> Double {
        let bundle = try ModelBundle.resolve("\(id):model", in: workspace.invocation("export").0.project)
        let lines = csv.split(separator: "\n").dropFirst()
        var right = 0
        for line in lines {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let row: [RawValue] = cells.prefix(3).map { cell in
                cell == "-" ? .missing : Double(cell).map(RawValue.number) ?? .text(cell)
            }
            let scores = try bundle.score(RawTable(columns: ["x1", "x2", "color"], rows: [row]))
            if scores.predictions == [.text(cells[3])] { right += 1 }
        }
        return Double(right) / Double(lines.count)
    }

    @Test func theModelsPredictionsAreComparedAndWithTheTargetItsMetrics() throws {
        let (workspace, id) = try trained()
        defer { workspace.remove() }
        let csv = Self.csv(rows: 600, seed: 3)
        var lines = csv.split(separator: "\n").map(String.init)
        // Text where the model needs a number: those rows are left out, the rest scored.
        for row in [5, 50, 500] { lines[row] = "abc" + lines[row].drop { $0 != "," } }
        _ = try workspace.folder.write(lines.joined(separator: "\n") + "\n", to: "labelled.csv")
        let (invocation, console) = workspace.invocation("monitor")
        let options = MonitorWorkflow.Options(
            target: id, data: "labelled.csv", requests: nil, output: "drift.html", threshold: 0.2, json: true)
        #expect(MonitorWorkflow(options, in: invocation).run() == .success, "\(console.error)")
        let report = try JSONDecoder().decode(DriftReport.self, from: Data(console.output.utf8))
        let prediction = try #require(report.prediction)
        #expect(prediction.psi < 0.05)
        #expect(!prediction.drifted)
        #expect(report.refusedRows == 3)
        #expect(report.refusals?.contains("column 'x1', row 5: 'abc' is text") == true, "\(report.refusals ?? "")")
        #expect(report.metrics.map(\.name) == ["accuracy", "f1_macro"])
        let accuracy = try #require(report.metrics.first)
        #expect(accuracy.rows == 597)
        let kept = ([lines[0]] + lines.enumerated().filter { ![0, 5, 50, 500].contains($0.offset) }.map(\.element))
            .joined(separator: "\n")
        #expect(accuracy.value == (try Self.servedAccuracy(workspace, id: id, csv: kept)))
        // Beside it, what the run's evaluate step recorded on split.test.
        let store = try RunStore(readingAt: workspace.url.appendingPathComponent(".athanor/runs.sqlite").path)
        let recorded = try #require(try store.run(id)?.metrics.first { $0.name == "eval.accuracy" }?.value)
        #expect(accuracy.recorded == recorded)
        #expect(accuracy.recordedBy == "eval")
        let html = try String(contentsOfFile: workspace.folder.path("drift.html"), encoding: .utf8)
        #expect(html.contains("<h2 id=\"metrics\">Metrics on the new data</h2>"))
        #expect(html.contains("3 rows refused by the model"))
    }

    @Test func rowsTheModelCannotTakeAreNotPredictionsThatDrift() throws {
        let (workspace, id) = try trained()
        defer { workspace.remove() }
        let lines = Self.csv(rows: 50, seed: 4).split(separator: "\n").enumerated().map { index, line in
            index == 0 ? String(line) : "abc" + line.drop { $0 != "," }
        }
        _ = try workspace.folder.write(lines.joined(separator: "\n") + "\n", to: "typos.csv")
        let (invocation, console) = workspace.invocation("monitor")
        let options = MonitorWorkflow.Options(
            target: id, data: "typos.csv", requests: nil, output: "drift.html", threshold: 0.2, json: true)
        _ = MonitorWorkflow(options, in: invocation).run()
        let report = try JSONDecoder().decode(DriftReport.self, from: Data(console.output.utf8))
        #expect(report.prediction == nil)
        #expect(report.refusedRows == 50)
        #expect(report.predictionNote == "the model could take none of the 50 rows")
        #expect(report.refusals?.contains("is text, and the column holds numbers") == true)
        #expect(report.metrics.isEmpty)
    }

    @Test func aRegressionIsMeasuredByItsErrors() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let notebook = """
            ```step data
            op: load
            path: sizes.csv
            target: y
            ```

            ```step model
            op: train
            model: linear
            input: data
            ```

            """
        var lines = ["a,b,y"]
        for row in 0..<400 {
            let a = Double(row % 37)
            let b = Double((row * 13) % 29)
            lines.append("\(a),\(b),\(2 * a - b + Double(row % 5))")
        }
        _ = try workspace.folder.write(notebook, to: "sizes.md")
        _ = try workspace.folder.write(lines.joined(separator: "\n") + "\n", to: "sizes.csv")
        let (status, console) = workspace.run("sizes.md")
        #expect(status == .success, "\(console.error)")
        let id = try Workspace.record(console)["id"] as? String ?? ""
        let (invocation, output) = workspace.invocation("monitor")
        let options = MonitorWorkflow.Options(
            target: id, data: "sizes.csv", requests: nil, output: "drift.html", threshold: 0.2, json: true)
        #expect(MonitorWorkflow(options, in: invocation).run() == .success, "\(output.error)")
        let report = try JSONDecoder().decode(DriftReport.self, from: Data(output.output.utf8))
        #expect(report.metrics.map(\.name) == ["rmse", "mae", "r2"])
        #expect(report.prediction?.numeric == true)
        #expect(report.prediction?.psi == 0)
        // The same errors from the rows scored one by one, as serve-model scores them.
        let bundle = try ModelBundle.resolve(id, in: invocation.project)
        var squares = 0.0
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",").compactMap { Double($0) }
            let scores = try bundle.score(
                RawTable(columns: ["a", "b"], rows: [[.number(cells[0]), .number(cells[1])]]))
            guard case .number(let guess)? = scores.predictions.first else { continue }
            squares += (guess - cells[2]) * (guess - cells[2])
        }
        let rmse = (squares / 400).squareRoot()
        #expect(abs((report.metrics.first?.value ?? 0) - rmse) <= 1e-9 * rmse)
    }

    @Test func aShiftThatMovesThePredictionsIsDriftOfTheModel() throws {
        let (workspace, id) = try trained()
        defer { workspace.remove() }
        // x1 moved down: more rows are "no", and the target moves with them.
        _ = try workspace.folder.write(Self.csv(rows: 2_000, seed: 5, shift: -4), to: "lower.csv")
        let (status, console) = monitor(workspace, id, data: "lower.csv")
        #expect(status == .failure)
        #expect(console.output.contains("\n  prediction (model) "), "\(console.output)")
        #expect(console.output.contains("on the 2000 rows with a target: accuracy "), "\(console.output)")
        let html = try String(contentsOfFile: workspace.folder.path("drift.html"), encoding: .utf8)
        #expect(html.contains("<title>prediction: PSI "))
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
