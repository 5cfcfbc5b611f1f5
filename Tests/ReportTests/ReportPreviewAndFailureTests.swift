import Foundation
import Runs
import Testing

@testable import Report

/// Data previews that show the target and its balance, hashes that never break mid-word, and a failed run
/// that names its error and where it happened.
@Suite struct ReportPreviewAndFailureTests {
    func render(_ run: RunRecord) throws -> String {
        try ReportRenderer(templates: try ReportTemplates.builtIn()).render(run, reportName: "nb.html").html
    }

    func section<Text: StringProtocol>(_ html: Text, from start: String, to end: String) throws -> Text.SubSequence {
        let open = try #require(html.range(of: start), "no \(start)")
        let close = try #require(html[open.upperBound...].range(of: end), "no \(end) after \(start)")
        return html[open.lowerBound..<close.lowerBound]
    }

    /// A preview of 40 features and a target of three classes, wider than the page shows.
    static func wide() -> RunRecord {
        var run = ReportFixture.run()
        var columns = (0..<40).map { ColumnSummary(name: "p\($0)", numeric: [0, 1, 2], role: .feature) }
        var target = ColumnSummary(name: "label", role: .target, missing: 0, distinct: 3)
        target.classCounts = [
            ClassCount(name: "a", count: 50), ClassCount(name: "b", count: 1200), ClassCount(name: "c", count: 7),
        ]
        columns.append(target)
        let head = [(0..<40).map(String.init) + ["b"]]
        run.steps[0].previews = [DataPreview(name: "data", rows: 1257, columnCount: 41, columns: columns, head: head)]
        return run
    }

    @Test func aWidePreviewShowsItsFirstFeaturesAndTheTargetAndSaysSo() throws {
        let html = try render(Self.wide())
        let data = try section(html, from: "id=\"step-data\"", to: "</section>")
        #expect(
            data.contains("<p class=\"note\">Showing 24 of 41 columns: the first 23 features and the target label.</p>")
        )
        let head = try section(data, from: "<thead>", to: "</thead>")
        #expect(head.hasSuffix("<th scope=\"col\">p22</th><th scope=\"col\" class=\"target\">label</th></tr>"))
        #expect(data.contains("<tr><th scope=\"row\">1</th><td>0</td>"))
        #expect(data.contains("<td>22</td><td>b</td></tr>"))
        #expect(data.contains("<th scope=\"row\" class=\"stat\">std</th><td>0.8165</td>"))
    }

    @Test func aClassificationTargetShowsTheRowsOfEachClass() throws {
        let html = try render(Self.wide())
        let classes = try section(html, from: "<table class=\"data classes\">", to: "</table>")
        #expect(
            classes
                == "<table class=\"data classes\">\n<caption>Rows per class of the target <code>label</code></caption>\n"
                + "<thead><tr><th scope=\"col\">class</th><th scope=\"col\">a</th><th scope=\"col\">b</th><th scope=\"col\">c</th></tr></thead>\n"
                + "<tbody><tr><th scope=\"row\">rows</th><td>50</td><td>1\u{202F}200</td><td>7</td></tr></tbody>\n")
        // A preview recorded without counts (the fixture's) has no such table, and says nothing of columns.
        let old = try render(ReportFixture.run())
        #expect(!old.contains("<table class=\"data classes\">"))
        #expect(!old.contains("Showing "))
    }

    @Test func hashesShowTheirStartAndHoldTheWholeForHoverAndCopying() throws {
        let html = try render(ReportFixture.run())
        let full = String(repeating: "0123456789abcdef", count: 4)
        #expect(html.contains("<td><code class=\"hash\" title=\"\(full)\">\(full)</code></td>"))
        #expect(html.contains("<code class=\"hash\" title=\"abc123\">abc123</code>"))
        #expect(html.contains("Notebook SHA-256 <code class=\"hash\" title=\"\(String(repeating: "ab", count: 32))\">"))
        let css = try ReportTemplates.builtIn().css
        #expect(
            css.contains(
                ".hash { display: inline-block; max-width: 14ch; overflow: hidden; text-overflow: ellipsis; "
                    + "white-space: nowrap; vertical-align: bottom; user-select: all; }"))
        #expect(!css.contains("break-all"))
    }

    @Test func aFailedRunsBadgeNamesTheErrorAndLinksToItsStep() throws {
        let html = try render(ReportFixture.run(status: .failed))
        #expect(
            html.contains(
                "<p class=\"status status-failed\"><a href=\"#step-eval\">Failed at step &#39;eval&#39;<span class=\"reason\">: "
                    + "column &#39;label&#39; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; is missing</span></a></p>"
            ))
        #expect(html.contains("<section class=\"step step-failed\" id=\"step-eval\""))
        let succeeded = try render(ReportFixture.run())
        #expect(succeeded.contains("<p class=\"status status-succeeded\">Succeeded</p>"))
    }

    @Test func theBadgeQuotesTheLineAnErrorIntroduces() {
        #expect(
            ReportContext.headline("the command exited with status 3; the end of its standard error:\nboom\nmore")
                == ": the command exited with status 3; the end of its standard error: boom")
        #expect(
            ReportContext.headline(String(repeating: "x", count: 300)) == ": " + String(repeating: "x", count: 159)
                + "…")
        #expect(ReportContext.headline(nil) == "" && ReportContext.headline("\n") == "")
    }

    @Test func anInlineResultOfAStepThatDidNotRunIsOneQuietMark() throws {
        var run = ReportFixture.run(status: .failed)
        run.steps[2] = StepRecord(name: "eval", op: "evaluate", cacheKey: "", cache: nil, seconds: 0, status: .notRun)
        let html = try render(run)
        #expect(
            html.contains(
                "Accuracy is <span class=\"result not-run\" title=\"eval.accuracy: not recorded, step eval did not "
                    + "run\">–<span class=\"visually-hidden\"> (not recorded: step eval did not run)</span></span>,"))
        let css = try ReportTemplates.builtIn().css
        #expect(css.contains(".result.not-run { color: var(--muted); font-weight: 400; border-bottom: none; }"))
    }
}
