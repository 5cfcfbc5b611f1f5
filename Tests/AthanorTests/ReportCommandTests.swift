import Foundation
import Testing

/// The report as the command line writes and reads it: `run` (next to the notebook, `-o`, and in
/// `.athanor/reports/`), `render`, and `reproduce REPORT.html`.
@Suite struct ReportCommandTests {
    typealias Project = RunCommandTests.Project

    func read(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    func runJSON(_ project: Project, _ arguments: [String]) throws -> [String: Any] {
        let output = try project.athanor(arguments + ["--json", "-q"])
        #expect(output.status == 0, "\(output.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    @Test func runWritesTheReportNextToTheNotebookAndKeepsACopy() throws {
        let project = try Project()
        defer { project.remove() }
        let run = try runJSON(project, ["run", "nb.md"])
        let id = try #require(run["id"] as? String)
        #expect(run["report"] as? String == "nb.html")
        let report = try read(project.directory.appendingPathComponent("nb.html"))
        let kept = try read(project.directory.appendingPathComponent(".athanor/reports/\(id).html"))
        #expect(report == kept)
        #expect(report.contains("<title>nb</title>"))
        #expect(report.contains("Athanor run <code>\(id)</code>"))
        #expect(report.contains("id=\"step-eval\""))
        // The store knows where the report is.
        let shown = try #require(try project.json(["show", id, "--json"]) as? [String: Any])
        #expect(shown["report"] as? String == "nb.html")
    }

    @Test func dashOChoosesTheReportsPath() throws {
        let project = try Project()
        defer { project.remove() }
        let run = try runJSON(project, ["run", "nb.md", "-o", "out/custom.html"])
        #expect(run["report"] as? String == "out/custom.html")
        let report = try read(project.directory.appendingPathComponent("out/custom.html"))
        #expect(report.contains("athanor reproduce custom.html"))
        #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("nb.html").path))
    }

    @Test func renderRebuildsAReportWithoutRunning() throws {
        let project = try Project()
        defer { project.remove() }
        let id = try #require(try runJSON(project, ["run", "nb.md"])["id"] as? String)
        let kept = project.directory.appendingPathComponent(".athanor/reports/\(id).html")
        try FileManager.default.removeItem(at: kept)
        // Without -o only the kept copy is rebuilt, and the run still names the report its author shared.
        let plain = try project.athanor(["render", id])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout == ".athanor/reports/\(id).html\n")
        #expect(FileManager.default.fileExists(atPath: kept.path))
        let shown = try #require(try project.json(["show", id, "--json"]) as? [String: Any])
        #expect(shown["report"] as? String == "nb.html")
        try FileManager.default.removeItem(at: kept)
        let rendered = try project.athanor(["render", String(id.prefix(5)), "-o", "again.html"])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let again = try read(project.directory.appendingPathComponent("again.html"))
        #expect(try read(kept) == again)
        #expect(again.contains("Athanor run <code>\(id)</code>"))
        let runs = try #require(try project.json(["runs", "--json"]) as? [[String: Any]])
        #expect(runs.count == 1)
        let missing = try project.athanor(["render", "ffffffff"])
        #expect(missing.status == 2)
    }

    @Test func aFailedRunStillGetsItsReport() throws {
        let project = try Project()
        defer { project.remove() }
        // The header passes the check; the row short of a field fails the step.
        try "a,b,label\n1,2\n".write(
            to: project.directory.appendingPathComponent("blobs.csv"), atomically: true, encoding: .utf8)
        let output = try project.athanor(["run", "nb.md", "-q"])
        #expect(output.status == 1)
        let report = try read(project.directory.appendingPathComponent("nb.html"))
        #expect(report.contains("Failed at step &#39;data&#39;"))
        #expect(report.contains("blobs.csv"))
        #expect(report.contains("<span class=\"badge not-run\">not run</span>"))
    }

    @Test func reproduceReadsAReportFromAnywhere() throws {
        let project = try Project()
        defer { project.remove() }
        _ = try runJSON(project, ["run", "nb.md"])
        // The report and its data elsewhere: the data found with --data, or in the current directory.
        let elsewhere = try Project(notebook: "unused")
        defer { elsewhere.remove() }
        try FileManager.default.copyItem(
            at: project.directory.appendingPathComponent("nb.html"),
            to: elsewhere.directory.appendingPathComponent("shared.html"))
        let here = try elsewhere.athanor(["reproduce", "shared.html", "-q"])
        #expect(here.status == 0, "\(here.stderr)")
        #expect(here.stdout.contains("reproduced as"))
        #expect(here.stdout.contains("1 data hashes"))

        let data = try project.athanor([
            "reproduce", elsewhere.directory.appendingPathComponent("shared.html").path,
            "--data", elsewhere.directory.path, "-q",
        ])
        #expect(data.status == 0, "\(data.stderr)")

        try elsewhere.writeData(3)
        let changed = try elsewhere.athanor(["reproduce", "shared.html", "-q"])
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("data file 'blobs.csv' (step 'data') changed content"))
    }

    @Test func reproduceRefusesAFileThatIsNotAReport() throws {
        let project = try Project()
        defer { project.remove() }
        try "<html><body>hi</body></html>".write(
            to: project.directory.appendingPathComponent("page.html"), atomically: true, encoding: .utf8)
        let output = try project.athanor(["reproduce", "page.html"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("not an Athanor report"))
    }

    @Test func commandsFromAReportAreNotRunWithoutPermission() throws {
        let notebook = """
            ```step fetch
            run: touch pwned
            ```
            """
        let project = try Project(notebook: notebook)
        defer { project.remove() }
        _ = try project.athanor(["run", "nb.md", "-q"])
        let pwned = project.directory.appendingPathComponent("pwned").path
        #expect(FileManager.default.fileExists(atPath: pwned))
        try? FileManager.default.removeItem(atPath: pwned)
        let refused = try project.athanor(["reproduce", "nb.html", "-q"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("'fetch'") && refused.stderr.contains("--allow-commands"))
        #expect(!FileManager.default.fileExists(atPath: pwned))
        let allowed = try project.athanor(["reproduce", "nb.html", "-q", "--allow-commands"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(FileManager.default.fileExists(atPath: pwned))
    }

    @Test func hostileTextFromEveryPlaceStaysText() throws {
        let notebook = """
            ---
            title: Hostile <script>alert("title")</script>
            ---

            Prose with <script>alert('prose')</script> and <b onclick="x()">bold</b>.

            ```params
            label: "</script><script>alert('param')</script>"
            ```

            ```step data
            op: load
            path: data.csv
            target: label
            description: ${label}
            ```

            ```step fail
            run: echo "<script>alert('log')</script>"; echo "boom </pre><script>x</script>" >&2; exit 3
            ```

            The label is `=label`.
            """
        let project = try Project(notebook: notebook)
        defer { project.remove() }
        try "a,label\n1,<script>alert(1)</script>\n2,\"<img src=x onerror=alert(2)>\"\n".write(
            to: project.directory.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let output = try project.athanor(["run", "nb.md", "-q"])
        #expect(output.status == 1)
        let page = try read(project.directory.appendingPathComponent("nb.html"))
        let manifestStart = try #require(page.range(of: "<script type=\"application/json\""))
        let html = page[..<manifestStart.lowerBound]
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.range(of: #"<[^>]*\son[a-z]+\s*="#, options: .regularExpression) == nil)
        // Each hostile text is there, as text: the CSV cells, the parameter, the log and the error.
        #expect(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"))
        #expect(html.contains("<td>&lt;img src=x onerror=alert(2)&gt;</td>"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(&#39;param&#39;)&lt;/script&gt;"))
        #expect(html.contains("&lt;script&gt;alert(&#39;log&#39;)&lt;/script&gt;"))
        #expect(html.contains("boom &lt;/pre&gt;&lt;script&gt;x&lt;/script&gt;"))
        // The manifest still reads back whole.
        #expect(page[manifestStart.upperBound...].components(separatedBy: "</script>").count == 2)
    }
}
