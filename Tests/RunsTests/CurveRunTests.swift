import Engine
import Foundation
import Notebook
import Runs
import Testing

/// ROC and precision–recall curves through a run: recorded for every model that gives probabilities,
/// thinned, of the class `positive:` names; refused at check time for a target of more classes; bad tree
/// settings and data are errors at the key or naming the step.
@Suite struct CurveRunTests {
    static func notebook(models: [String], kind: String = "moons", positive: String? = nil) -> String {
        var text = """
            ```step data
            op: synthetic
            kind: \(kind)
            samples: 600
            noise: 0.4
            seed: 5
            ```

            ```step split
            op: split
            input: data
            test: 0.5
            seed: 1
            ```


            """
        for model in models {
            text += """
                ```step \(model)
                op: train
                model: \(model)
                input: split.train
                ```

                ```step eval_\(model)
                op: evaluate
                model: \(model)
                input: split.test
                metrics: [roc_auc, average_precision, roc_curve, precision_recall_curve]
                \(positive.map { "positive: \($0)" } ?? "")
                ```


                """
        }
        return text
    }

    static func run(_ source: String, data: String? = nil) throws -> RunRecord {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "athanor-curve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nb.md").path
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        if let data {
            try data.write(to: directory.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        }
        let project = Project(root: directory)
        let (notebook, diagnostics) = NotebookChecker.check(source, path: path)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        guard case .success(let resolved) = ParameterOverrides.resolve([], in: notebook) else {
            throw EngineError("bad parameters")
        }
        let plan = RunPlan(notebook: notebook, parameters: resolved.values, overridden: resolved.overridden)
        let executor = try RunExecutor(
            plan: plan, project: project, store: try RunStore(path: project.storePath), command: ["test"])
        return try executor.run()
    }

    struct RecordedCurve: Decodable {
        var positive: String
        var x: [Double]
        var y: [Double]
    }

    static func curve(_ run: RunRecord, _ name: String) throws -> RecordedCurve {
        let json = try #require(run.metrics.first { $0.name == name }?.json, "no \(name)")
        return try JSONDecoder().decode(RecordedCurve.self, from: Data(json.utf8))
    }

    @Test func everyModelWithProbabilitiesRecordsItsCurves() throws {
        let models = ["logistic", "mlp", "decision_tree", "random_forest", "gradient_boosting"]
        let run = try Self.run(Self.notebook(models: models))
        #expect(run.status == .succeeded, "\(run.steps.compactMap(\.error))")
        for model in models {
            let roc = try Self.curve(run, "eval_\(model).roc_curve")
            let pr = try Self.curve(run, "eval_\(model).precision_recall_curve")
            #expect(roc.positive == "1" && pr.positive == "1")
            #expect((2...Curve.recordedPoints).contains(roc.x.count) && roc.x.count == roc.y.count)
            #expect((2...Curve.recordedPoints).contains(pr.x.count) && pr.x.count == pr.y.count)
            #expect(roc.x.first == 0 && roc.y.first == 0 && roc.x.last == 1 && roc.y.last == 1)
            #expect(pr.x.last == 0 && pr.y.last == 1 && pr.x.first == 1)
            let auc = try #require(run.metrics.first { $0.name == "eval_\(model).roc_auc" }?.value)
            let average = try #require(run.metrics.first { $0.name == "eval_\(model).average_precision" }?.value)
            #expect(auc > 0.75 && average > 0.75, "\(model): roc_auc \(auc), average_precision \(average)")
        }
        // 300 distinct scores give 301 points, thinned to 200; a tree's few distinct scores keep theirs.
        #expect(try Self.curve(run, "eval_logistic.precision_recall_curve").x.count == Curve.recordedPoints)
        #expect(try Self.curve(run, "eval_decision_tree.precision_recall_curve").x.count < 50)
    }

    @Test func positiveNamesTheClassTheCurvesRank() throws {
        let run = try Self.run(Self.notebook(models: ["logistic"], positive: "0"))
        #expect(run.status == .succeeded, "\(run.steps.compactMap(\.error))")
        #expect(try Self.curve(run, "eval_logistic.roc_curve").positive == "0")
        #expect(try Self.curve(run, "eval_logistic.precision_recall_curve").positive == "0")
    }

    func errors(_ source: String) -> [String] {
        NotebookChecker.check(source, path: "c.md").diagnostics.filter { $0.severity == .error }.map(\.description)
    }

    @Test func aCurveOfThreeClassesIsRefusedAtItsMetric() {
        let source = Self.notebook(models: ["logistic"], kind: "blobs\nclasses: 3")
        #expect(
            errors(source) == [
                "c.md:27:20: error: metric 'average_precision' ranks one class against the other and needs a target "
                    + "of two classes, but 'logistic' is trained on 3 classes",
                "c.md:27:39: error: metric 'roc_curve' ranks one class against the other and needs a target of two "
                    + "classes, but 'logistic' is trained on 3 classes",
                "c.md:27:50: error: metric 'precision_recall_curve' ranks one class against the other and needs a "
                    + "target of two classes, but 'logistic' is trained on 3 classes",
            ])
        #expect(errors(Self.notebook(models: ["logistic"], kind: "blobs")).isEmpty)
    }

    @Test func aCurveOfALoadedMulticlassTargetFailsAtRunTimeNamingTheStep() throws {
        let source = """
            ```step data
            op: load
            path: data.csv
            target: label
            ```

            ```step model
            op: train
            model: gradient_boosting
            input: data
            iterations: 3
            ```

            ```step eval
            op: evaluate
            model: model
            input: data
            metrics: [roc_curve]
            ```
            """
        let rows = (0..<60).map { "\($0),\(["a", "b", "c"][$0 % 3])" }
        let run = try Self.run(source, data: "x,label\n" + rows.joined(separator: "\n") + "\n")
        #expect(run.status == .failed)
        let failed = try #require(run.steps.first { $0.status == .failed })
        #expect(failed.name == "eval")
        #expect(
            failed.error
                == "column 'label': metric 'roc_curve' needs a target of two classes; the model has 3 (a, b, c)")
    }

    @Test(arguments: [
        ("model: decision_tree\ndepth: 0", "c.md:10:8: error: 'depth' must be an integer ≥ 1, not 0"),
        ("model: random_forest\ntrees: 0", "c.md:10:8: error: 'trees' must be an integer ≥ 1, not 0"),
        ("model: gradient_boosting\nlr: -1", "c.md:10:5: error: 'lr' must be a number > 0.0, not -1"),
        ("model: gradient_boosting\nbins: 1", "c.md:10:7: error: 'bins' must be an integer in [2, 255], not 1"),
        ("model: gradient_boosting\nbins: 256", "c.md:10:7: error: 'bins' must be an integer in [2, 255], not 256"),
    ])
    func badTreeSettingsAreErrorsAtTheirValue(settings: String, expected: String) {
        let source = """
            ```step data
            op: synthetic
            kind: moons
            ```

            ```step m
            op: train
            input: data
            \(settings)
            ```
            """
        #expect(errors(source) == [expected])
    }
}
