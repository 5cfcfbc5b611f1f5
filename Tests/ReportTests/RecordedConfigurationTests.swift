import Foundation
import Runs
import Testing

@testable import Report

/// A report shows what its run ran with, as the run recorded it: a later checker's rules, or a notebook
/// source the checker would now reject, do not change the page.
@Suite struct RecordedConfigurationTests {
    static let notebook = """
        ```params
        samples: 40   # rows to generate
        ```

        ```step data
        op: synthetic
        description: two blobs
        kind: blobs
        samples: ${samples}
        seed: 3
        ```

        ```step model
        op: train
        model: kmeans
        input: data
        k: 2
        restarts: 1
        ```
        """

    func render(_ run: RunRecord) throws -> String {
        try ReportRenderer(templates: try ReportTemplates.builtIn()).render(run, reportName: "nb.html").html
    }

    func section(_ html: String, step: String) throws -> Substring {
        let open = try #require(html.range(of: "id=\"step-\(step)\""), "no step \(step)")
        let close = try #require(html[open.upperBound...].range(of: "</section>"))
        return html[open.lowerBound..<close.lowerBound]
    }

    /// Records a run of `notebook` in a temporary project, overriding `samples`; returns it as the store
    /// gives it back, with the store.
    func recordedRun(in directory: URL) throws -> (RunRecord, RunStore) {
        let path = directory.appendingPathComponent("nb.md").path
        try Self.notebook.write(toFile: path, atomically: true, encoding: .utf8)
        let (notebook, diagnostics) = NotebookChecker.check(Self.notebook, path: path)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        var parameters = notebook.defaultValues
        parameters["samples"] = .int(60)
        let plan = RunPlan(notebook: notebook, parameters: parameters, overridden: ["samples"])
        let project = Project(root: directory)
        let store = try RunStore(path: project.storePath)
        let run = try RunExecutor(plan: plan, project: project, store: store, command: ["test"]).run()
        #expect(run.status == .succeeded)
        return (try #require(try store.run(run.id)), store)
    }

    @Test func aRunRecordsEachStepsConfigurationAsItRan() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (run, _) = try recordedRun(in: directory)
        #expect(
            run.steps.map(\.configuration) == [
                StepConfiguration(
                    text: "op: synthetic\ndescription: two blobs\nkind: blobs\nsamples: 60\nseed: 3",
                    description: "two blobs"),
                StepConfiguration(
                    text: "op: train\nmodel: kmeans\ninput: data\nk: 2\nrestarts: 1", variant: "kmeans"),
            ])
    }

    /// The stored source is changed so that today's checker rejects it (an unknown key, an unknown model);
    /// the page still shows the configuration the run recorded, not the source re-read by today's rules.
    @Test func aNotebookTheCheckerNowRejectsRendersAsItRan() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var (run, store) = try recordedRun(in: directory)
        run.notebookSource = Self.notebook.replacingOccurrences(of: "seed: 3", with: "seeed: 4")
            .replacingOccurrences(of: "model: kmeans", with: "model: kmedoids")
        #expect(NotebookChecker.check(run.notebookSource, path: run.notebook).diagnostics.hasErrors)
        try store.save(run)
        let html = try render(try #require(try store.run(run.id)))

        let data = try section(html, step: "data")
        #expect(data.contains("<span class=\"op\">synthetic</span>"))
        #expect(data.contains("<p class=\"description\">two blobs</p>"))
        #expect(
            data.contains(
                "<pre><code>op: synthetic\ndescription: two blobs\nkind: blobs\nsamples: 60\nseed: 3</code></pre>"))
        let model = try section(html, step: "model")
        #expect(model.contains("<span class=\"op\">train · kmeans</span>"))
        #expect(model.contains("<pre><code>op: train\nmodel: kmeans\ninput: data\nk: 2\nrestarts: 1</code></pre>"))
    }

    /// A run recorded before steps kept their configuration shows it resolved from its parsed source with
    /// the recorded parameters, even when today's checker rejects that source.
    @Test func anOldRunShowsItsSourceResolvedWithItsParameters() throws {
        var run = ReportFixture.run()
        #expect(run.steps.allSatisfy { $0.configuration == nil })
        run.notebookSource = run.notebookSource.replacingOccurrences(of: "target: label", with: "targett: label")
        #expect(NotebookChecker.check(run.notebookSource, path: run.notebook).diagnostics.hasErrors)
        let html = try render(run)
        let data = try section(html, step: "data")
        #expect(data.contains("<pre><code>op: load\npath: blobs.csv\ntargett: label</code></pre>"))
        let model = try section(html, step: "model")
        #expect(model.contains("<span class=\"op\">train · mlp</span>"))
        #expect(model.contains("<pre><code>op: train\nmodel: mlp\ninput: data\nvalidation: data\nseed: 2</code></pre>"))
    }
}
