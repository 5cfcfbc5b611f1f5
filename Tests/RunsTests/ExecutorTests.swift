import Engine
import Foundation
import Notebook
import Runs
import Testing

/// Running notebooks in a project of their own: which steps hit and miss for each kind of change,
/// corruption, and what the run records.
@Suite struct ExecutorTests {
    static let notebook = """
        ---
        title: Executor test
        ---

        ```params
        test: 0.25
        hidden: 8
        seed: 1
        ```

        ```step data
        op: load
        path: points.csv
        target: label
        ```

        ```step split
        op: split
        input: data
        test: ${test}
        seed: ${seed}
        ```

        ```step linear
        op: train
        model: logistic
        input: split.train
        ```

        ```step mlp
        op: train
        model: mlp
        input: split.train
        validation: split.test
        hidden: [${hidden}]
        epochs: 5
        seed: ${seed}
        ```

        ```step eval
        op: evaluate
        model: mlp
        input: split.test
        metrics: [accuracy, confusion]
        ```
        """

    /// A temporary project with the notebook and its data.
    struct Fixture {
        let directory: URL
        var notebookPath: String { directory.appendingPathComponent("nb.md").path }
        var project: Project { Project(root: directory) }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "athanor-exec-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try ExecutorTests.notebook.write(
                to: directory.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
            try writeData(shift: 0)
        }

        func writeData(shift: Double) throws {
            var lines = ["x,y,label"]
            for i in 0..<60 {
                let label = i % 2
                lines.append("\(Double(i % 7) + shift),\(Double(label) * 3 + Double(i % 3) / 10),\(label)")
            }
            try (lines.joined(separator: "\n") + "\n").write(
                to: directory.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)
        }

        func run(_ overrides: [String] = [], useCache: Bool = true) throws -> RunRecord {
            let source = try String(contentsOfFile: notebookPath, encoding: .utf8)
            let (notebook, diagnostics) = NotebookChecker.check(source, path: notebookPath)
            #expect(!diagnostics.hasErrors, "\(diagnostics)")
            guard case .success(let resolved) = ParameterOverrides.resolve(overrides, in: notebook) else {
                throw EngineError("bad overrides")
            }
            let plan = RunPlan(notebook: notebook, parameters: resolved.values, overridden: resolved.overridden)
            let store = try RunStore(path: project.storePath)
            let executor = try RunExecutor(
                plan: plan, project: project, store: store, command: ["test"], useCache: useCache)
            return try executor.run()
        }

        func cache(_ run: RunRecord) -> [String: StepRecord.Cache] {
            Dictionary(uniqueKeysWithValues: run.steps.map { ($0.name, $0.cache ?? .miss) })
        }

        func remove() {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func imputeStrategyAndFillReachTheEngine() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try "x,label\n1,0\nNA,1\n3,0\n".write(
            to: fixture.directory.appendingPathComponent("gaps.csv"), atomically: true, encoding: .utf8)
        let notebook = """
            ```step data
            op: load
            path: gaps.csv
            target: label
            ```

            ```step prep
            op: preprocess
            fit: data
            apply: {all: data}
            impute: [x]
            strategy: constant
            fill: -1
            ```

            ```step model
            op: train
            model: linear
            input: data
            ```
            """
        try notebook.write(to: URL(fileURLWithPath: fixture.notebookPath), atomically: true, encoding: .utf8)
        let run = try fixture.run()
        let prep = try #require(run.steps.first { $0.name == "prep" })
        #expect(prep.previews.first?.head.map { $0.first } == ["1", "-1", "3"])
        let model = try #require(run.steps.first { $0.name == "model" })
        #expect(
            model.error == "column 'x' (1 missing) has missing values; impute them with a preprocess step (impute: [x])"
        )
    }

    @Test func aSecondRunHitsEveryStepAndRecordsTheSame() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let first = try fixture.run()
        #expect(first.status == .succeeded)
        #expect(first.steps.allSatisfy { $0.cache == .miss })
        let second = try fixture.run()
        #expect(second.steps.allSatisfy { $0.cache == .hit })
        #expect(second.metrics == first.metrics)
        #expect(second.series == first.series)
        #expect(second.datasets == first.datasets)
        #expect(first.datasets.first?.rows == 60)
        #expect(first.series.first { $0.name == "mlp.loss" }?.points.count == 5)
        let stored = try RunStore(path: fixture.project.storePath).run(first.id)
        #expect(stored == first)
    }

    @Test func aParameterChangeRecomputesOnlyTheStepsThatReadIt() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        _ = try fixture.run()
        let changed = try fixture.run(["hidden=16"])
        let cache = fixture.cache(changed)
        #expect(cache["data"] == .hit)
        #expect(cache["split"] == .hit)
        #expect(cache["linear"] == .hit)
        #expect(cache["mlp"] == .miss)
        #expect(cache["eval"] == .miss)
        let mlp = try #require(changed.steps.first { $0.name == "mlp" })
        #expect(mlp.explanation == "setting 'hidden' changed ([8] → [16])")
        #expect(changed.steps.first { $0.name == "eval" }?.explanation == "upstream step 'mlp' changed")
        #expect(changed.parameters.first { $0.name == "hidden" }?.overridden == true)
    }

    @Test func changedDataContentRecomputesEverything() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        _ = try fixture.run()
        try fixture.writeData(shift: 0.5)
        let changed = try fixture.run()
        #expect(changed.steps.allSatisfy { $0.cache == .miss })
        #expect(changed.steps.first?.explanation == "file 'points.csv' changed content")
    }

    @Test func aTouchedFileWithTheSameContentStillHits() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let first = try fixture.run()
        let path = fixture.directory.appendingPathComponent("points.csv").path
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: path)
        try fixture.writeData(shift: 0)
        let second = try fixture.run()
        #expect(second.steps.allSatisfy { $0.cache == .hit })
        #expect(second.datasets.first?.sha256 == first.datasets.first?.sha256)
    }

    @Test func noCacheRecomputesAndGetsBitIdenticalResults() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let first = try fixture.run()
        let again = try fixture.run(useCache: false)
        #expect(again.steps.allSatisfy { $0.cache == .miss && $0.explanation == "--no-cache" })
        #expect(Reproduction.differences(first, again, tolerance: nil).isEmpty)
    }

    @Test func aCorruptedObjectIsRecomputedNotServed() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let first = try fixture.run()
        // Damage every object: the entries and outputs of all steps.
        let objects = fixture.project.cacheDirectory.appendingPathComponent("objects")
        let enumerator = FileManager.default.enumerator(at: objects, includingPropertiesForKeys: [.isRegularFileKey])
        var damaged = 0
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            try Data("damaged".utf8).write(to: url)
            damaged += 1
        }
        #expect(damaged > 0)
        let second = try fixture.run()
        #expect(second.status == .succeeded)
        #expect(second.steps.allSatisfy { $0.cache == .miss })
        #expect(second.metrics == first.metrics)
        let third = try fixture.run()
        #expect(third.steps.allSatisfy { $0.cache == .hit })
    }

    @Test func aFailingStepStopsTheRunAndIsRecorded() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try FileManager.default.removeItem(at: fixture.directory.appendingPathComponent("points.csv"))
        let run = try fixture.run()
        #expect(run.status == .failed)
        #expect(run.steps.first?.status == .failed)
        #expect(run.steps.first?.error?.contains("points.csv") == true)
        #expect(run.steps.dropFirst().allSatisfy { $0.status == .notRun })
        #expect(try RunStore(path: fixture.project.storePath).run(run.id)?.status == .failed)
    }

    @Test func cacheKeysChangeWithTheEngineVersionAndEachIngredient() {
        let base = CacheKeyIngredients(configuration: "{\"op\":\"split\"}", upstream: ["data": "a"], files: [:])
        var engine = base
        engine.engine = "9.9.9"
        var upstream = base
        upstream.upstream["data"] = "b"
        var files = base
        files.files["x.csv"] = "c"
        let keys = [base.key, engine.key, upstream.key, files.key]
        #expect(Set(keys).count == 4)
        #expect(engine.differences(from: base, parameters: []) == ["the engine changed (\(base.engine) → 9.9.9)"])
    }

    @Test func overridesMustNameADeclaredParameterOfItsType() throws {
        let (notebook, _) = NotebookChecker.check(Self.notebook, path: "nb.md")
        guard case .failure(let problems) = ParameterOverrides.resolve(["hiden=3", "seed=x", "test"], in: notebook)
        else {
            Issue.record("bad overrides were accepted")
            return
        }
        #expect(problems.diagnostics.count == 3)
        #expect(problems.diagnostics[0].suggestion == "hidden")
        #expect(problems.diagnostics[1].message.contains("expected integer"))
    }
}

@Suite struct DataPreviewTests {
    @Test func aPreviewShowsTheFirstRowsAsTextAndSummarisesEachColumn() throws {
        let data = Array("x,colour,label\n1.5,red,a\n,blue,b\n3,red,a\n4.25,,b\n10,red,a\n11,blue,b\n".utf8)
        let dataset = try Load.run(Load.Options(path: "d.csv", target: "label"), data: Data(data))
        let preview = DataPreview(name: "data", dataset: dataset)
        #expect(preview.rows == 6)
        #expect(preview.columns.map(\.name) == ["x", "colour", "label"])
        #expect(preview.columns.map(\.role) == [.feature, .feature, .target])
        #expect(preview.head.count == DataPreview.headRows)
        #expect(preview.head[0] == ["1.5", "red", "a"])
        #expect(preview.head[1] == ["", "blue", "b"])
        #expect(preview.head[3] == ["4.25", "", "b"])
        let x = preview.columns[0]
        #expect(x.missing == 1 && x.minimum == 1.5 && x.maximum == 11 && x.mean == 29.75 / 5)
        #expect(preview.columns[1].missing == 1 && preview.columns[1].distinct == 2)
        #expect(preview.columns[2].distinct == 2 && preview.columns[2].missing == 0)
    }

    @Test func missingCountsAndTheSpreadAreSummarised() throws {
        // Mean 5 and population standard deviation 2, exactly.
        let summary = ColumnSummary(name: "x", numeric: [2, .nan, 4, 4, 4, 5, 5, .nan, 7, 9], role: .feature)
        #expect(
            summary
                == ColumnSummary(
                    name: "x", role: .feature, missing: 2, minimum: 2, mean: 5, maximum: 9, standardDeviation: 2))
    }

    @Test func valuesNearTheLargestDoubleDoNotOverflowTheMeanOrTheSpread() throws {
        let huge = ColumnSummary(name: "x", numeric: [1e308, .nan, 1e308], role: .feature)
        #expect(
            huge
                == ColumnSummary(
                    name: "x", role: .feature, missing: 1, minimum: 1e308, mean: 1e308, maximum: 1e308,
                    standardDeviation: 0))
        let spread = ColumnSummary(name: "x", numeric: [-1.5e308, 1.5e308], role: .feature)
        #expect(spread.mean == 0 && spread.standardDeviation == 1.5e308)
    }

    @Test func previewsRecordedBeforeTheSpreadStillDecode() throws {
        let old = #"{"name":"a","role":"feature","missing":3,"minimum":1,"mean":2,"maximum":3}"#
        #expect(
            try JSONDecoder().decode(ColumnSummary.self, from: Data(old.utf8))
                == ColumnSummary(name: "a", role: .feature, missing: 3, minimum: 1, mean: 2, maximum: 3))
    }

    @Test func aWideDatasetKeepsItsFirstColumnsAndTheTarget() throws {
        let header = (0..<100).map { "p\($0)" }.joined(separator: ",") + ",label"
        let row = (0..<100).map(String.init).joined(separator: ",") + ",yes"
        let dataset = try Load.run(
            Load.Options(path: "wide.csv", target: "label"), data: Data("\(header)\n\(row)\n\(row)\n".utf8))
        let preview = DataPreview(name: "wide", dataset: dataset)
        #expect(preview.columnCount == 101)
        #expect(preview.columns.count == DataPreview.keptColumns)
        #expect(preview.columns.last?.name == "label" && preview.columns.last?.role == .target)
        #expect(preview.head[0].count == DataPreview.keptColumns && preview.head[0].last == "yes")
        let old = #"{"name":"d","rows":2,"columns":[{"name":"a","role":"feature","missing":0}],"head":[["1"]]}"#
        #expect(try JSONDecoder().decode(DataPreview.self, from: Data(old.utf8)).columnCount == 1)
    }
}
