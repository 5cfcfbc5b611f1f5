import Foundation
import Runs
import Testing

@testable import Report

/// The comparison of a sweep's runs: the table, the best run, the charts, the links, and the page's
/// safety (escaping, the policy that allows its one script by hash, no inline handlers).
@Suite struct SweepReportTests {
    static let hostile = ReportFixture.hostile

    /// Three runs of ReportFixture's notebook at seed 1, 2, 3, with a hostile label on the last.
    static func runs(failing: Bool = false) -> [RunRecord] {
        (1...3).map { seed in
            var run = ReportFixture.run(status: failing && seed == 2 ? .failed : .succeeded)
            run.id = "run0000\(seed)"
            run.sweep = "s1234567"
            let label = seed == 3 ? hostile : "plain"
            run.parameters = [
                RecordedParameter(name: "seed", value: "\(seed)", overridden: true),
                RecordedParameter(name: "label", value: "\"\(label)\"", overridden: true),
            ]
            if !run.metrics.isEmpty {
                run.metrics[0].value = [0.5, 0.75, 0.625][seed - 1]
            }
            run.series = run.series.map { series in
                SeriesRecord(
                    name: series.name, points: series.points.map { RecordedPoint($0.index, $0.value * Double(seed)) })
            }
            return run
        }
    }

    func comparison(
        _ runs: [RunRecord] = runs(), objective: SweepObjective? = nil, logarithmic: Bool = false
    ) -> SweepComparison {
        SweepComparison(
            id: "s1234567", notebook: "nb.md",
            swept: [
                SweptParameter(name: "seed", values: ["1", "2", "3"], logarithmic: logarithmic),
                SweptParameter(name: "label", values: ["\"plain\"", "\"\(Self.hostile)\""], logarithmic: false),
            ],
            runs: runs, objective: objective ?? SweepObjective.chosen(for: runs),
            command: ["athanor", "run", "nb.md", "--sweep", "seed=1,2,3"])
    }

    func render(_ comparison: SweepComparison) throws -> String {
        try SweepReportRenderer(templates: try ReportTemplates.builtIn()).render(comparison) { "\($0).html" }
    }

    func section(_ html: String, from start: String, to end: String) throws -> Substring {
        let lower = try #require(html.range(of: start))
        let upper = try #require(html.range(of: end, range: lower.upperBound..<html.endIndex))
        return html[lower.upperBound..<upper.lowerBound]
    }

    @Test func theTableListsEveryRunWithItsParametersMetricsAndReport() throws {
        let html = try render(comparison())
        let table = try section(html, from: "<table class=\"members\" id=\"members\">", to: "</table>")
        let headings = try section(String(table), from: "<thead>", to: "</thead>")
        for heading in ["run", "status", "seed", "label", "eval.accuracy", "duration"] {
            #expect(headings.contains(">\(heading)</th>"), "missing \(heading)")
        }
        let body = try section(String(table), from: "<tbody>", to: "</tbody>")
        let rows = body.components(separatedBy: "</tr>").filter { $0.contains("<tr") }
        #expect(rows.count == 3)
        for (index, row) in rows.enumerated() {
            #expect(row.contains("<a href=\"run0000\(index + 1).html\"><code>run0000\(index + 1)</code></a>"))
            #expect(row.contains("data-sort=\"\(index + 1)\">\(index + 1)</td>"))
        }
        #expect(rows[0].contains(">0.5</td>") && rows[1].contains(">0.75</td>") && rows[2].contains(">0.625</td>"))
        // The best run (highest accuracy, as the default objective is maximized) is marked in words, not by colour.
        #expect(rows[1].contains("class=\"best ") && rows[1].contains("<span class=\"flag best-flag\">best</span>"))
        #expect(!rows[0].contains("best") && !rows[2].contains("best"))
        #expect(html.contains("<code>eval.accuracy</code>, maximized"))
        #expect(html.contains("the first metric recorded"))
        #expect(html.contains("<a href=\"run00002.html\"><code>run00002</code></a>: <code>eval.accuracy</code> = 0.75"))
    }

    @Test func minimizingMarksTheLowestRun() throws {
        let objective = SweepObjective(metric: "eval.accuracy", maximize: false, reason: "asked")
        let html = try render(comparison(objective: objective))
        let body = try section(html, from: "<tbody>", to: "</tbody>")
        let best = try #require(body.components(separatedBy: "</tr>").first { $0.contains("best-flag") })
        #expect(best.contains("run00001"))
        #expect(html.contains("minimized"))
    }

    @Test func theObjectiveIsChartedAgainstEachSweptParameter() throws {
        let html = try render(comparison())
        let objective = try section(html, from: "<h2 id=\"objective\">", to: "</section>")
        #expect(objective.contains("aria-label=\"eval.accuracy against seed\""))
        #expect(objective.contains("aria-label=\"eval.accuracy against label\""))
        #expect(objective.components(separatedBy: "<circle class=\"point").count - 1 == 6)
        // The best run is ringed once in each chart.
        #expect(objective.components(separatedBy: "class=\"best-ring\"").count - 1 == 2)
        #expect(!objective.contains("(log scale)"))
        let logarithmic = try render(comparison(logarithmic: true))
        #expect(logarithmic.contains("seed (log scale)"))
    }

    @Test func trainingCurvesAreOverlaidOneChartPerSeriesWithALegend() throws {
        let html = try render(comparison())
        let curves = try section(html, from: "<h2 id=\"curves\">", to: "</section>")
        for name in ["model.loss", "model.val_loss"] {
            let chart = try section(String(curves), from: "aria-label=\"\(name)\"", to: "</svg>")
            #expect(chart.components(separatedBy: "<path class=\"line").count - 1 == 3)
        }
        let legend = try section(String(curves), from: "<ul class=\"legend\">", to: "</ul>")
        #expect(legend.components(separatedBy: "<li>").count - 1 == 3)
        #expect(legend.contains("<code>run00001</code> seed=1 label=&quot;plain&quot;"))
    }

    /// The overlaid curves of a sweep page and of a comparison page are labelled as a single run's are:
    /// iterations for boosting and L-BFGS, restarts for k-means, epochs otherwise.
    @Test(arguments: [
        ("model: gradient_boosting", "gradient_boosting", "iteration"), ("model: softmax", "softmax", "iteration"),
        ("model: kmeans", "kmeans", "restart"), ("model: mlp", "mlp", "epoch"),
    ])
    func overlaidCurvesSayWhatTheyAreCountedIn(configuration: String, model: String, label: String) throws {
        let runs = Self.runs().map { run in
            var run = run
            run.steps[1].configuration = StepConfiguration(text: "op: train\n\(configuration)", variant: model)
            return run
        }
        let sweep = try section(try render(comparison(runs)), from: "<h2 id=\"curves\">", to: "</section>")
        #expect(sweep.contains(">\(label)</text>") && sweep.contains("model.loss of 3 runs, by \(label)."))
        let compared = ComparisonPage(runs: runs, all: false).page(link: { "/runs/\($0)" }, toggle: "/compare").body
        let curves = try section(compared, from: "<h2 id=\"curves\">", to: "</section>")
        #expect(curves.contains(">\(label)</text>") && curves.contains("model.loss by \(label), a line per run."))
    }

    @Test func aFailedRunIsShownAndNeverBest() throws {
        let runs = Self.runs(failing: true)
        let html = try render(comparison(runs))
        #expect(html.contains("1 of 3 runs failed"))
        #expect(html.contains("failed at &#39;eval&#39;") || html.contains("failed at 'eval'"))
        let best = try section(html, from: "<dt>Best run</dt><dd>", to: "</dd>")
        #expect(best.contains("run00003"))
    }

    @Test func theOneScriptIsAllowedByItsHashAndNothingElseRuns() throws {
        let html = try render(comparison())
        let meta = try section(html, from: "<meta http-equiv=\"Content-Security-Policy\" content=\"", to: "\">")
        let policy = meta.replacingOccurrences(of: "&#39;", with: "'")
        let css = try section(html, from: "<style>", to: "</style>")
        let script = try section(html, from: "<script>", to: "</script>")
        #expect(policy == SweepReportRenderer.contentSecurityPolicy(css: String(css), script: String(script)))
        #expect(policy.hasPrefix("default-src 'none';") && policy.contains("script-src 'sha256-"))
        #expect(script.contains("addEventListener(\"click\""))
        // One script element, and no handler attributes anywhere.
        #expect(html.components(separatedBy: "<script").count - 1 == 1)
        #expect(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil)
        #expect(html.range(of: #"(src|href)\s*=\s*"(https?:)?//"#, options: .regularExpression) == nil)
        #expect(html.contains("prefers-color-scheme: dark") && html.contains("@media print"))
    }

    @Test func hostileParameterValuesAreEscapedEverywhere() throws {
        let html = try render(comparison())
        #expect(!html.contains(Self.hostile))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    }

    @Test func linksFromBesideTheNotebookLeadIntoTheReportsDirectory() {
        let root = URL(fileURLWithPath: "/tmp/project")
        #expect(
            SweepReportFiles.relativePath(from: root, to: root.appendingPathComponent(".athanor/reports"))
                == ".athanor/reports/")
        #expect(
            SweepReportFiles.relativePath(
                from: root.appendingPathComponent("notebooks/deep"),
                to: root.appendingPathComponent(".athanor/reports")) == "../../.athanor/reports/")
        #expect(
            SweepReportFiles.relativePath(
                from: root.appendingPathComponent(".athanor/reports"),
                to: root.appendingPathComponent(".athanor/reports")) == "")
        #expect(
            SweepReportFiles.relativePath(from: URL(fileURLWithPath: "/tmp/a b"), to: root) == "../project/")
    }
}
