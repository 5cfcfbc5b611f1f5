import Engine
import Foundation
import Notebook
import Runs
import Testing

/// Gradient boosting through a whole run: data with missing values trains without `impute`, the
/// series and importances are recorded, and the model restored from the cache predicts as the
/// trained one did; `check` knows every key.
@Suite struct GradientBoostingRunTests {
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
        stratify: true
        seed: 3
        ```

        ```step model
        op: train
        model: gradient_boosting
        input: split.train
        validation: split.test
        iterations: 30
        ```

        ```step held
        op: train
        model: gradient_boosting
        input: split.train
        early_stopping: true
        validation: 0.2
        ```

        ```step eval
        op: evaluate
        model: model
        input: split.test
        metrics: [accuracy]
        ```
        """

    /// 200 rows; `size` is missing in every tenth, and those rows are all `large`, as sizes ≥ 25 are.
    static let data: String = {
        var lines = ["size,label"]
        for i in 0..<200 {
            let missing = i % 10 == 0
            lines.append("\(missing ? "" : String(i % 50)),\(missing || i % 50 >= 25 ? "large" : "small")")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    func checkErrors(_ step: String) -> [String] {
        let source =
            "```step data\nop: synthetic\nkind: blobs\n```\n\n```step m\nop: train\ninput: data\n\(step)\n```\n"
        return NotebookChecker.check(source, path: "c.md").diagnostics.filter { $0.severity == .error }.map {
            $0.message + ($0.suggestion.map { " → \($0)" } ?? "")
        }
    }

    @Test func missingValuesTrainWithoutImputeAndTheCachedModelPredictsTheSame() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-gb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.notebook.write(to: directory.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
        try Self.data.write(to: directory.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let project = Project(root: directory)
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
        let first = try run()
        #expect(first.status == .succeeded, "\(first.steps.compactMap(\.error))")
        #expect(first.metrics.first { $0.name == "eval.accuracy" }?.value == 1)
        let series = Dictionary(uniqueKeysWithValues: first.series.map { ($0.name, $0.points.count) })
        #expect(series["model.loss"] == 30)
        #expect(series["model.val_loss"] == 30)
        #expect(series["model.val_accuracy"] == 30)
        #expect(series["held.val_loss"] == series["held.loss"])
        let importances = try #require(first.metrics.first { $0.name == "model.importances" })
        #expect(importances.value == nil)
        #expect(importances.json == #"{"features":["size"],"importances":[1]}"#)

        // `eval` runs again on the model as the cache restored it.
        let eval = try #require(first.steps.first { $0.name == "eval" })
        try ObjectStore(directory: project.cacheDirectory).removeReference(eval.cacheKey)
        let second = try run()
        #expect(second.steps.map(\.cache) == [.hit, .hit, .hit, .hit, .miss])
        #expect(second.metrics == first.metrics)
    }

    @Test func inlineResultsNameOnlySeriesAStepRecords() {
        func errors(_ model: String) -> [String] {
            let source =
                "```step data\nop: synthetic\nkind: blobs\n```\n\n```step m\nop: train\ninput: data\nmodel: \(model)\n```\n\n"
                + "Loss `=m.loss`, held out `=m.val_loss`.\n"
            return NotebookChecker.check(source, path: "c.md").diagnostics.filter { $0.severity == .error }.map(
                \.message)
        }
        #expect(errors("gradient_boosting").isEmpty)
        #expect(
            errors("gradient_boosting\nearly_stopping: false") == [
                "inline result `=m.val_loss`: step 'm' does not record 'val_loss'; it records loss"
            ])
        #expect(
            errors("random_forest") == [
                "inline result `=m.loss`: step 'm' records no metrics",
                "inline result `=m.val_loss`: step 'm' records no metrics",
            ])
    }

    @Test func checkKnowsEveryKey() {
        #expect(
            checkErrors("model: gradient_boosting\niteration: 5") == [
                "unknown key 'iteration' in step 'm' (op: train) → iterations"
            ])
        #expect(
            checkErrors("model: gradient_boosting\nbins: 1\nleaves: 1\nlr: -1\ndepth: 0") == [
                "'bins' must be an integer in [2, 255], not 1", "'leaves' must be an integer ≥ 2, not 1",
                "'lr' must be a number > 0.0, not -1", "'depth' must be an integer ≥ 1, not 0",
            ])
        #expect(
            checkErrors("model: gradient_boosting\nearly_stopping: sometimes") == [
                "'early_stopping' must be one of auto, true, false, not 'sometimes'"
            ])
        #expect(
            checkErrors("model: gradient_boosting\nvalidation: 1.5") == [
                "'validation' must be a dataset of an earlier step, or a number in (0.0, 1.0), not 1.5"
            ])
        #expect(checkErrors("model: gradient_boosting\nearly_stopping: true\nvalidation: 0.2").isEmpty)
        #expect(checkErrors("model: gradient_boosting\nearly_stopping: false\nvalidation: data").isEmpty)
        #expect(
            checkErrors("model: random_forest\nfeatures: sqr\ntree: 5\nbootstrap: maybe") == [
                "'features' must be sqrt, all, or a number in (0.0, 1.0), not 'sqr' → sqrt",
                "unknown key 'tree' in step 'm' (op: train) → trees", "'bootstrap' must be true or false, not 'maybe'",
            ])
        #expect(checkErrors("model: random_forest\nfeatures: 0.5\ntrees: 10").isEmpty)
        #expect(
            checkErrors("model: random_forest\nfeatures: 2\ntrees: 0") == [
                "'features' must be sqrt, all, or a number in (0.0, 1.0), not 2",
                "'trees' must be an integer ≥ 1, not 0",
            ])
        #expect(
            checkErrors("model: decision_tree\ncriterion: ginny\ntrees: 3") == [
                "'criterion' must be one of gini, entropy, squared_error, not 'ginny' → gini",
                "'trees' is a setting of model 'random_forest', not of model 'decision_tree', in step 'm' (op: train)",
            ])
        #expect(
            checkErrors("model: mlp\nvalidation: 0.2") == [
                "'validation' must name a dataset of an earlier step, as 'STEP' or 'STEP.OUTPUT', not 0.2"
            ])
    }
}
