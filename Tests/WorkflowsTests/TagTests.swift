import Foundation
import TestSupport
import Testing
import Workflows

/// `athanor tag RUN key=value --note TEXT`: kept across a re-render, shown by `runs`, `show` and the report.
@Suite struct TagTests {
    @Test func tagsAndANoteAreShownEverywhereAndSurviveARender() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(trainingNotebook, to: "nb.md")
        let (status, ran) = workspace.run("nb.md")
        #expect(status == .success)
        let id = try Workspace.record(ran)["id"] as? String ?? ""
        let (invocation, console) = workspace.invocation("tag latest")
        let manage = ManageWorkflow(in: invocation)
        #expect(manage.tag("latest", ["baseline=yes", "owner=ana"], note: "before the new features") == .success)
        #expect(console.output == "run \(id): baseline=yes owner=ana; note: before the new features\n")
        #expect(manage.tag(id, ["owner="], note: nil) == .success)
        // A render saves the run again: the tags are kept apart from its rows and stay.
        let (render, _) = workspace.invocation("render latest")
        #expect(RenderWorkflow(id: id, output: nil, template: nil, in: render).run() == .success)
        let listed = try workspace.runs()
        #expect(listed.first?["tags"] as? [String: String] == ["baseline": "yes"])
        #expect(listed.first?["note"] as? String == "before the new features")
        let (table, text) = workspace.invocation("runs")
        #expect(ReadWorkflow(in: table).list(notebook: nil, sweep: nil, json: false) == .success)
        #expect(text.output.contains("  TAGS  ") && text.output.contains("  baseline=yes (note)  "), "\(text.output)")
        let report = try String(
            contentsOf: workspace.url.appendingPathComponent(".athanor/reports/\(id).html"), encoding: .utf8)
        #expect(report.contains("<div><dt>Tags</dt><dd><code class=\"tag\">baseline=yes</code> </dd></div>"))
        #expect(report.contains("<div><dt>Note</dt><dd>before the new features</dd></div>"))
        let (bad, refused) = workspace.invocation("tag latest Bad=1")
        #expect(ManageWorkflow(in: bad).tag("latest", ["Bad=1"], note: nil) == .invalid)
        #expect(refused.error.hasPrefix("athanor: error: 'Bad=1': a tag is key=value"))
    }
}
