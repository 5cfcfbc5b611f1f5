import Foundation
import Runs
import Testing

@testable import Report

/// The report read as a reader reads it (issue 19): a table of contents, the answer at the top, charts that
/// read on any screen, previews that show the target, hashes that never break, a failed run that says why.
@Suite struct ReportReadingTests {
    func render(_ run: RunRecord = ReportFixture.run()) throws -> String {
        try ReportRenderer(templates: try ReportTemplates.builtIn()).render(run, reportName: "nb.html").html
    }

    func section<Text: StringProtocol>(_ html: Text, from start: String, to end: String) throws -> Text.SubSequence {
        let open = try #require(html.range(of: start), "no \(start)")
        let close = try #require(html[open.upperBound...].range(of: end), "no \(end) after \(start)")
        return html[open.lowerBound..<close.lowerBound]
    }

    /// The first group of each match of `pattern`, in order.
    func matches(_ pattern: String, in text: Substring) -> [String] {
        let string = String(text)
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let matches = expression.matches(in: string, range: NSRange(string.startIndex..., in: string))
        return matches.compactMap { match in
            Range(match.range(at: 1), in: string).map { String(string[$0]) }
        }
    }

    /// The fixture's notebook with two headings, one of them named like a section of the report.
    static func headed() -> RunRecord {
        var run = ReportFixture.run()
        run.notebookSource = run.notebookSource
            .replacingOccurrences(of: "Some prose", with: "# Set-up & data\n\nSome prose")
            .replacingOccurrences(of: "Accuracy is", with: "## Results\n\nAccuracy is")
        return run
    }

    // MARK: Navigation

    @Test func theContentsLinkEverySectionHeadingAndStepInOrder() throws {
        let html = try render(Self.headed())
        let contents = try section(html, from: "<nav class=\"toc\"", to: "</nav>")
        let links = matches(##"href="#([^"]+)""##, in: contents)
        #expect(
            links == [
                "top", "results", "parameters", "data", "document", "set-up-data", "step-data", "step-model",
                "step-eval", "results-1",
            ])
        // Each link has exactly one target in the page.
        let ids = matches(#" id="([^"]+)""#, in: html[...])
        for link in links { #expect(ids.filter { $0 == link }.count == 1, "id \(link)") }
        #expect(html.contains("<h1 id=\"set-up-data\">Set-up &amp; data</h1>"))
        #expect(html.contains("<h2 id=\"results-1\">Results</h2>"))
        // Steps nest under the heading they follow, with their operation.
        #expect(
            contents.contains(
                "<li><a href=\"#set-up-data\">Set-up &amp; data</a><ol>\n"
                    + "<li class=\"toc-step toc-succeeded\"><a href=\"#step-data\"><code>data</code></a> "
                    + "<span class=\"op\">load</span></li>\n"))
    }

    @Test func headingIDsAreSlugsMadeUnique() {
        #expect(Outline.slug("Results (test set)") == "results-test-set")
        #expect(Outline.slug("Élan — 2nd try") == "élan-2nd-try")
        #expect(Outline.slug("???") == "section")
        var outline = Outline(reserved: ["data"], steps: ["eval"])
        let html = outline.anchorHeadings("<h2>Data</h2><p>x</p><h3>Step eval</h3><h2>Data</h2><h4>Deep</h4>")
        #expect(
            html == "<h2 id=\"data-1\">Data</h2><p>x</p><h3 id=\"step-eval-1\">Step eval</h3>"
                + "<h2 id=\"data-2\">Data</h2><h4 id=\"deep\">Deep</h4>")
        // Levels 1 to 3 enter the contents.
        #expect(outline.groups.map(\.label) == ["Data", "Step eval", "Data"])
    }

    @Test func theContentsFoldOnAPhoneAndStayOpenBesideTheNotebookOnAWideScreen() throws {
        let html = try render()
        #expect(
            html.contains(
                "<nav class=\"toc\" aria-label=\"Contents\">\n<details id=\"contents\"><summary>Contents</summary>"))
        let css = try ReportTemplates.builtIn().css
        #expect(css.contains("@media (min-width: 76rem) {\n  .page { display: grid;"))
        #expect(css.contains(".toc { position: sticky; top: 0;"))
        #expect(css.contains(".toc details::details-content { content-visibility: visible; display: block; }"))
    }

    // MARK: The answer at the top

    /// Two evaluations of the fixture's model: on its data and again, with a tie on accuracy.
    static func twoEvaluations() -> RunRecord {
        var run = ReportFixture.run()
        run.notebookSource = run.notebookSource.replacingOccurrences(
            of: "\nAccuracy is",
            with:
                "```step eval_train\nop: evaluate\nmodel: model\ninput: data\nmetrics: [accuracy, log_loss]\n```\n\nAccuracy is"
        )
        run.steps.append(
            StepRecord(
                name: "eval_train", op: "evaluate", cacheKey: "k4", cache: .miss, seconds: 0.01, status: .succeeded))
        run.metrics = [
            MetricRecord(name: "eval.accuracy", value: 0.9375), MetricRecord(name: "eval.log_loss", value: 0.31),
            run.metrics[1],
            MetricRecord(name: "eval_train.accuracy", value: 0.9375),
            MetricRecord(name: "eval_train.log_loss", value: 0.2),
        ]
        return run
    }

    @Test func aModelByMetricTableComesFirstAndMarksTheBestOfEachColumn() throws {
        let html = try render(Self.twoEvaluations())
        let results = try section(html, from: "<section aria-labelledby=\"results\">", to: "</section>")
        #expect(html.range(of: "id=\"results\"")!.lowerBound < html.range(of: "id=\"parameters\"")!.lowerBound)
        let head = try section(results, from: "<thead>", to: "</thead>")
        #expect(
            head == "<thead><tr><th scope=\"col\">evaluation</th>"
                + "<th scope=\"col\" class=\"num\"><code>accuracy</code> <span class=\"direction\" title=\"higher is better\">↑</span></th>"
                + "<th scope=\"col\" class=\"num\"><code>log_loss</code> <span class=\"direction\" title=\"lower is better\">↓</span></th>"
                + "</tr>")
        let body = try section(results, from: "<tbody>", to: "</tbody>")
        let best = "<span class=\"visually-hidden\"> (best)</span>"
        let about = "<span class=\"about\">model (mlp) on data</span></th>"
        let rows: [String] = [
            "<tr><th scope=\"row\"><a href=\"#step-eval\"><code>eval</code></a> \(about)"
                + "<td class=\"num best\" title=\"0.9375\"><strong>0.9375</strong>\(best)</td>"
                + "<td class=\"num\" title=\"0.31\">0.31</td></tr>",
            "<tr><th scope=\"row\"><a href=\"#step-eval_train\"><code>eval_train</code></a> \(about)"
                + "<td class=\"num best\" title=\"0.9375\"><strong>0.9375</strong>\(best)</td>"
                + "<td class=\"num best\" title=\"0.2\"><strong>0.2</strong>\(best)</td></tr>",
        ]
        #expect(body == "<tbody>\n" + rows.joined(separator: "\n") + "\n")
        // The curves' final values follow in their own table, not mixed with the evaluations.
        let others = try section(results, from: "<h3 class=\"subhead\">", to: "</table>")
        #expect(
            others.contains(
                "<code>model.loss</code></th><td class=\"num\" title=\"0.025\">0.025</td><td class=\"num\">40</td>"))
        #expect(!others.contains("eval.accuracy") && !others.contains("eval_train"))
    }

    @Test func theBestOfAColumnNeedsTwoValuesAndADirection() {
        #expect(ReportContext.best([0.9, 0.95, nil, 0.95], maximize: true) == [1, 3])
        #expect(ReportContext.best([0.3, 0.2], maximize: false) == [1])
        #expect(ReportContext.best([0.3, nil], maximize: false) == [])
        #expect(ReportContext.best([0.3, 0.2], maximize: nil) == [])
    }

    @Test func numbersStandRightAlignedUnderRightAlignedHeadings() throws {
        let css = try ReportTemplates.builtIn().css
        #expect(css.contains("td.num, th.num, .metrics td { text-align: right; font-variant-numeric: tabular-nums; }"))
        let html = try render()
        let data = try section(html, from: "id=\"data\"", to: "</section>")
        #expect(
            data.contains(
                "<th scope=\"col\" class=\"num\">rows × columns</th><th scope=\"col\" class=\"num\">bytes</th>"))
        let step = try section(html, from: "id=\"step-eval\"", to: "</section>")
        #expect(step.contains("<th scope=\"col\">metric</th><th scope=\"col\" class=\"num\">value</th>"))
    }
}
