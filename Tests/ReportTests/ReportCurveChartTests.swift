import Foundation
import Runs
import Testing

@testable import Report

/// ROC and precision–recall curves and feature importances, recorded as JSON metrics, drawn in the step
/// that recorded them: inline SVG in the report's own colours, nothing fetched.
@Suite struct ReportCurveChartTests {
    func render(_ run: RunRecord) throws -> String {
        try ReportRenderer(templates: try ReportTemplates.builtIn()).render(run, reportName: "nb.html").html
    }

    /// The part of the page that shows step `name`, up to step `next` or the end.
    func step(_ name: String, until next: String? = nil, in html: String) throws -> Substring {
        let start = try #require(html.range(of: "id=\"step-\(name)\""))
        let rest = html[start.upperBound...]
        return rest[..<(next.flatMap { rest.range(of: "id=\"step-\($0)\"") }?.lowerBound ?? rest.endIndex)]
    }

    @Test func curvesAreDrawnUnderTheStepThatRecordedThem() throws {
        var run = ReportFixture.run()
        run.metrics += [
            MetricRecord(
                name: "eval.roc_curve", value: nil, json: #"{"positive":"yes","x":[0,0,0.5,1],"y":[0,0.5,1,1]}"#),
            MetricRecord(
                name: "eval.precision_recall_curve", value: nil,
                json: #"{"positive":"yes","x":[1,0.5,0],"y":[0.5,1,1]}"#),
        ]
        let eval = try step("eval", in: try render(run))
        #expect(eval.contains("<title>eval.roc_curve: class &#39;yes&#39;</title>"))
        #expect(eval.contains(">false positive rate</text>") && eval.contains(">true positive rate</text>"))
        #expect(eval.contains("eval.roc_curve of class &#39;yes&#39; against the rest, 4 points; the dashed diagonal"))
        #expect(eval.contains("<title>eval.precision_recall_curve: class &#39;yes&#39;</title>"))
        #expect(eval.contains(">recall</text>") && eval.contains(">precision</text>"))
        // The ROC curve from (0, 0) to (1, 1) and its chance diagonal, both in the plot's corners.
        let roc = CurveChart(
            title: "r", xLabel: "x", yLabel: "y", x: [0, 0, 0.5, 1], y: [0, 0.5, 1, 1], diagonal: true
        ).svg()
        #expect(roc.contains(#"<path class="line s0" d="M75.0 236.0 L75.0 138.0 L348.5 40.0 L622.0 40.0">"#))
        #expect(roc.contains(#"<line class="line s3 dashed" x1="75.0" y1="236.0" x2="622.0" y2="40.0">"#))
    }

    @Test func importancesAreTheTopFifteenAsBarsLargestFirst() throws {
        var run = ReportFixture.run()
        let names = (1...20).map { "f\($0)" } + [ReportFixture.hostile]
        let values = (1...20).map { Double($0) / 210 } + [0.5]
        let json = try JSONSerialization.data(withJSONObject: ["features": names, "importances": values])
        run.metrics.append(
            MetricRecord(name: "model.importances", value: nil, json: String(decoding: json, as: UTF8.self)))
        let html = try render(run)
        let model = try step("model", until: "eval", in: html)
        #expect(model.components(separatedBy: "<rect class=\"bar\"").count - 1 == 15)
        #expect(model.contains("model.importances: the 15 largest of 21 features"))
        // Largest first: the hostile name (0.5), then f20, f19, …; its text escaped and cut to fit.
        let order = [">&lt;script&gt;alert(&#39;x&#39;)&lt;/s…<", ">f20<", ">f19<", ">f7<"].map {
            model.range(of: $0)?.lowerBound
        }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(!model.contains(">f6<"))
        #expect(!html.contains(ReportFixture.hostile))
    }
}
