import Engine
import Foundation
import Notebook
import Runs
import Testing

/// Missing values through a whole run: a dataset holding NaN is stored in the cache, restored from
/// it, and imputed by a later step (before the columnar form, JSON could not encode NaN at all and
/// `load` failed on the first empty cell).
@Suite struct MissingValuesRunTests {
    static let notebook = """
        ```step data
        op: load
        path: data.csv
        target: label
        ```

        ```step split
        op: split
        input: data
        test: 0.25
        seed: 3
        ```

        ```step clean
        op: preprocess
        fit: split.train
        apply: {train: split.train, test: split.test}
        impute: all
        onehot: all
        standardize: [size]
        ```

        ```step model
        op: train
        model: logistic
        input: clean.train
        ```

        ```step eval
        op: evaluate
        model: model
        input: clean.test
        metrics: [accuracy]
        ```
        """

    struct Fixture {
        let directory: URL
        var project: Project { Project(root: directory) }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "athanor-missing-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try MissingValuesRunTests.notebook.write(
                to: directory.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
            var lines = ["size,colour,label"]
            for i in 0..<80 {
                let size = i % 9 == 0 ? "" : String(Double(i % 10) + (i % 2 == 0 ? 0 : 20))
                let colour = i % 11 == 0 ? "NA" : ["red", "blue", "green"][i % 3]
                lines.append("\(size),\(colour),\(i % 2 == 0 ? "small" : "large")")
            }
            try (lines.joined(separator: "\n") + "\n").write(
                to: directory.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        }

        func run() throws -> RunRecord {
            let path = directory.appendingPathComponent("nb.md").path
            let (notebook, diagnostics) = NotebookChecker.check(
                try String(contentsOfFile: path, encoding: .utf8), path: path)
            #expect(!diagnostics.hasErrors, "\(diagnostics)")
            guard case .success(let resolved) = ParameterOverrides.resolve([], in: notebook) else {
                throw EngineError("bad parameters")
            }
            let plan = RunPlan(notebook: notebook, parameters: resolved.values, overridden: resolved.overridden)
            let executor = try RunExecutor(
                plan: plan, project: project, store: try RunStore(path: project.storePath), command: ["test"])
            return try executor.run()
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func aDatasetWithMissingValuesIsCachedRestoredAndImputed() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let first = try fixture.run()
        #expect(first.status == .succeeded, "\(first.steps.compactMap(\.error))")
        let data = try #require(first.steps.first { $0.name == "data" }?.previews.first)
        #expect(data.columns.map(\.missing) == [9, 8, 0])
        let cleaned = try #require(first.steps.first { $0.name == "clean" }?.previews.first)
        #expect(cleaned.columns.allSatisfy { $0.missing == 0 })
        let accuracy = try #require(first.metrics.first { $0.name == "eval.accuracy" }?.value)
        #expect(accuracy > 0.8)

        let second = try fixture.run()
        #expect(second.steps.map(\.cache) == Array(repeating: .hit, count: 5))
        #expect(second.metrics == first.metrics)
        #expect(second.steps.map(\.previews) == first.steps.map(\.previews))

        // Without its entry, `clean` runs again on the split's datasets as the cache holds them, NaN and all.
        let clean = try #require(first.steps.first { $0.name == "clean" })
        try ObjectStore(directory: fixture.project.cacheDirectory).removeReference(clean.cacheKey)
        let third = try fixture.run()
        #expect(third.steps.map(\.cache) == [.hit, .hit, .miss, .hit, .hit])
        #expect(third.steps.map(\.previews) == first.steps.map(\.previews))
        #expect(third.metrics == first.metrics)
    }
}
