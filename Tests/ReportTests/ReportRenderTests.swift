import Foundation
import Runs
import Testing

@testable import Report

/// The report as a reader sees it: each section of DESIGN §6, in order, with everything that reaches the
/// page escaped.
@Suite struct ReportRenderTests {
    func render(_ run: RunRecord = ReportFixture.run()) throws -> RenderedReport {
        try ReportRenderer(templates: try ReportTemplates.builtIn()).render(run, reportName: "nb.html")
    }

    /// The text of the page between two markers, to check a section on its own.
    func section(_ html: String, from start: String, to end: String) throws -> Substring {
        let open = try #require(html.range(of: start), "no \(start)")
        let close = try #require(html[open.upperBound...].range(of: end), "no \(end) after \(start)")
        return html[open.lowerBound..<close.lowerBound]
    }

    @Test func theSectionsComeInDesignOrder() throws {
        let html = try render().html
        let markers = [
            "<nav class=\"toc\"", "<h1>", "id=\"results\"", "id=\"parameters\"", "id=\"data\"", "id=\"document\"",
            "id=\"step-data\"",
            "id=\"step-model\"", "id=\"step-eval\"", "id=\"athanor-manifest\"",
        ]
        let positions = try markers.map { marker in
            try #require(html.range(of: marker), "missing \(marker)").lowerBound
        }
        #expect(positions == positions.sorted())
    }

    @Test func theSummarySaysHowTheRunWentAndHowToReproduceIt() throws {
        let html = try render().html
        let summary = try section(html, from: "<header class=\"summary\"", to: "</header>")
        #expect(summary.contains("<h1>Blobs &lt;b&gt;bold&lt;/b&gt; test</h1>"))
        #expect(summary.contains("Succeeded"))
        #expect(summary.contains("2026-09-21 14:13:20 UTC"))
        #expect(summary.contains("2.00 s"))
        #expect(summary.contains("9.9.9") && summary.contains("engine 8.8.8"))
        #expect(summary.contains(">abc123</code>") && summary.contains("uncommitted changes"))
        #expect(summary.contains("athanor reproduce 0badc0de"))
        #expect(summary.contains("athanor reproduce nb.html"))
        // The exact command, quoted as a shell would need it, and escaped for HTML.
        #expect(summary.contains("athanor run nb.md -p &#39;label=&lt;script&gt;alert(&#39;\\&#39;&#39;x"))
        #expect(summary.contains("3 steps: 1 from the cache, 2 computed"))
    }

    @Test func theSummaryNamesTheBLASKernelWhenTheRunRecordedIt() throws {
        var run = ReportFixture.run()
        run.environment.blasKernel = BLASKernelRecord(name: "skx", source: .athanor)
        let summary = try section(try render(run).html, from: "<header class=\"summary\"", to: "</header>")
        #expect(
            summary.contains(
                "<div><dt>Machine</dt><dd>Debian; CPU &lt;x&gt;, 2 cores</dd></div>\n"
                    + "<div><dt>BLAS kernel</dt><dd>skx (chosen by Athanor)</dd></div>\n</dl>"))
        // A run recorded before kernels were: no line at all.
        let old = try section(try render().html, from: "<header class=\"summary\"", to: "</header>")
        #expect(old.contains("<div><dt>Machine</dt><dd>Debian; CPU &lt;x&gt;, 2 cores</dd></div>\n</dl>"))
    }

    @Test func parametersMarkOverridesAndCarryTheirDescriptions() throws {
        let html = try render().html
        let table = try section(html, from: "id=\"parameters\"", to: "</section>")
        #expect(table.contains("<tr class=\"overridden\"><th scope=\"row\"><code>label</code>"))
        #expect(table.contains("seed of the split"))
        #expect(!table.contains("<tr class=\"overridden\"><th scope=\"row\"><code>seed</code>"))
        #expect(table.contains("&quot;&lt;script&gt;"))
    }

    @Test func dataShowsTheFullHashShapeAndSize() throws {
        let html = try render().html
        let data = try section(html, from: "id=\"data\"", to: "</section>")
        #expect(data.contains(String(repeating: "0123456789abcdef", count: 4)))
        #expect(data.contains("80 × 3"))
        #expect(data.contains("1\u{202F}234"))
        #expect(data.contains("<code>blobs.csv</code>"))
    }

    @Test func resultsHoldTheEvaluationsThenTheFinalValuesOfTheSeries() throws {
        let html = try render().html
        let results = try section(html, from: "id=\"results\"", to: "</section>")
        #expect(results.contains("<td class=\"num\" title=\"0.9375\">0.9375</td>"))
        #expect(
            results.contains(
                "<code>model.loss</code></th><td class=\"num\" title=\"0.025\">0.025</td><td class=\"num\">40</td>"))
    }

    @Test func stepsShowCacheDurationConfigurationPreviewChartsAndLogs() throws {
        let html = try render().html
        let data = try section(html, from: "id=\"step-data\"", to: "</section>")
        #expect(data.contains("cache hit") && data.contains("12 ms"))
        // A template value missing in a step is not looked up in the page around it (Mustache would).
        #expect(!data.contains("Does a"))
        #expect(data.contains("<details class=\"preview\" open>"))
        #expect(data.contains("<th scope=\"col\" class=\"target\">label</th>"))
        #expect(data.contains("<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td>"))
        #expect(data.contains("<th scope=\"row\" class=\"stat\">mean</th><td>4</td>"))
        #expect(data.contains("<th scope=\"row\" class=\"stat\">std</th><td>2.5</td><td></td></tr>"))
        #expect(data.contains("<th scope=\"row\" class=\"stat\">missing</th><td>0</td><td>1</td></tr>"))
        #expect(data.contains("<pre><code>op: load\npath: blobs.csv\ntarget: label</code></pre>"))

        let model = try section(html, from: "id=\"step-model\"", to: "</section>")
        #expect(model.contains("cache miss") && model.contains("1.50 s"))
        #expect(model.contains("train · mlp"))
        #expect(model.contains("seed: 2"))
        #expect(model.contains("Recomputed because parameter &#39;seed&#39; changed"))
        #expect(model.contains("<svg") && model.contains("model.val_loss") && model.contains(">epoch</text>"))
        #expect(model.contains("<details class=\"log\"><summary>Log</summary><pre>epoch 1 &lt;script&gt;"))

        let eval = try section(html, from: "id=\"step-eval\"", to: "</section>")
        #expect(eval.contains("<code>eval.accuracy</code>"))
        // The confusion matrix as a heat map, labels escaped, counts in the cells.
        #expect(eval.contains("<figure class=\"matrix\"><svg"))
        #expect(eval.contains("&lt;i&gt;right&lt;/i&gt;"))
        #expect(eval.contains(">38</text>") && eval.contains(">37</text>"))
    }

    @Test func inlineResultsAreReplacedByRecordedValues() throws {
        let rendered = try render()
        #expect(rendered.diagnostics.isEmpty)
        let html = rendered.html
        #expect(html.contains("Accuracy is <span class=\"result\" title=\"eval.accuracy = 0.9375\">0.9375</span>"))
        #expect(html.contains("the last loss <span class=\"result\" title=\"model.loss = 0.025\">0.025</span>"))
        #expect(html.contains("the seed <span class=\"result\" title=\"seed = 2\">2</span>"))
        #expect(html.contains(">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</span>."))
        #expect(!html.contains("<code>=eval.accuracy</code>"))
    }

    @Test func anInlineResultNamingNothingRecordedIsAnErrorWithItsLine() throws {
        var run = ReportFixture.run()
        run.metrics.removeAll { $0.name == "eval.accuracy" }
        let rendered = try render(run)
        let diagnostic = try #require(rendered.diagnostics.first)
        #expect(rendered.diagnostics.count == 1)
        #expect(diagnostic.description.hasPrefix("nb.md:35:14: error: inline result `=eval.accuracy` names nothing"))
        #expect(rendered.html.contains("<span class=\"result missing\" title=\"eval.accuracy\">not recorded</span>"))
    }

    @Test func aFailedRunShowsTheErrorAtItsStepAndMarksWhatDidNotRun() throws {
        var run = ReportFixture.run(status: .failed)
        run.steps[1].status = .failed
        run.steps[1].error = "training diverged <script>"
        run.steps[2] = StepRecord(name: "eval", op: "evaluate", cacheKey: "", cache: nil, seconds: 0, status: .notRun)
        let rendered = try render(run)
        let html = rendered.html
        #expect(html.contains("Failed at step &#39;model&#39;"))
        let model = try section(html, from: "id=\"step-model\"", to: "</section>")
        #expect(model.contains("<div class=\"error\" role=\"alert\">"))
        #expect(model.contains("training diverged &lt;script&gt;"))
        let eval = try section(html, from: "id=\"step-eval\"", to: "</section>")
        #expect(eval.contains("<span class=\"badge not-run\">not run</span>"))
        #expect(!eval.contains("cache miss"))
        // Inline results of a step that did not run say so, and are not errors.
        #expect(rendered.diagnostics.isEmpty)
        #expect(html.contains("title=\"eval.accuracy: not recorded, step eval did not run\">–"))
    }

    @Test func hostileTextNeverBecomesMarkup() throws {
        let page = try render().html
        // The page outside the manifest, whose JSON holds the notebook's source as data.
        let html = try section(page, from: "<!DOCTYPE html>", to: "<script type=\"application/json\"")
        // One script element only: the JSON manifest, which browsers do not run.
        #expect(page.components(separatedBy: "<script").count == 2)
        #expect(page.contains("<script type=\"application/json\" id=\"athanor-manifest\">"))
        #expect(!html.contains("onerror"))
        #expect(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil)
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>bold</b>"))
        // cmark's safe default replaces raw HTML with a comment.
        #expect(html.contains("<!-- raw HTML omitted -->"))
        // The manifest holds the hostile text with `<` escaped, so that it cannot end its element.
        let manifest = try section(page, from: "id=\"athanor-manifest\">", to: "</script>")
        #expect(!manifest.dropFirst().contains("<"))
        #expect(manifest.contains("\\u003cscript\\u003e"))
    }

    @Test func nothingIsFetchedFromAnywhere() throws {
        let html = try render().html
        let meta = try section(html, from: "<meta http-equiv=\"Content-Security-Policy\" content=\"", to: "\">")
        let policy = meta.dropFirst("<meta http-equiv=\"Content-Security-Policy\" content=\"".count)
            .replacingOccurrences(of: "&#39;", with: "'")
        #expect(policy.hasPrefix("default-src 'none';"))
        // The policy allows the page's own stylesheet, by its hash, and nothing else.
        let css = try section(html, from: "<style>", to: "</style>").dropFirst("<style>".count)
        let expected = ReportRenderer.contentSecurityPolicy(css: String(css))
        #expect(policy == expected)
        #expect(html.range(of: #"(src|href)\s*=\s*"(https?:)?//"#, options: .regularExpression) == nil)
        #expect(!html.contains("<link"))
        #expect(!html.contains("@import"))
        #expect(html.contains("prefers-color-scheme: dark"))
        #expect(html.contains("@media print"))
        #expect(html.contains("name=\"viewport\""))
    }

    @Test func longSeriesAreDownsampledSoTheReportStaysSmall() throws {
        let short = try render(ReportFixture.run(lossPoints: 40)).html
        let long = try render(ReportFixture.run(lossPoints: 100_000)).html
        // Two curves of 100,000 points each: drawn with at most ~2 points per pixel column.
        #expect(long.utf8.count < short.utf8.count + 60_000)
        #expect(long.utf8.count < 300_000)
    }
}
