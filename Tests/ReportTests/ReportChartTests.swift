import Foundation
import Runs
import Testing

@testable import Report

/// Training curves a reader can read on any screen: log scale for a loss over decades, the index they are
/// counted in, each value on hover, ten colours apart for colour-blind eyes.
@Suite struct ReportChartTests {
    func render(_ run: RunRecord) throws -> String {
        try ReportRenderer(templates: try ReportTemplates.builtIn()).render(run, reportName: "nb.html").html
    }

    func chart(_ values: [Double]) -> String {
        LineChart(
            title: "m: loss", xLabel: "epoch", yLabel: "loss",
            lines: [.init(name: "m.loss", points: values.enumerated().map { RecordedPoint($0 + 1, $1) }, dashed: false)]
        ).svg()
    }

    @Test func aSeriesOverMoreThanTwoDecadesIsDrawnOnALogScale() {
        #expect(LineChart.logarithmic([2.3, 0.5, 0.01]))
        #expect(!LineChart.logarithmic([0.99, 0.5, 0.01]))  // 99 times: less than two decades
        #expect(!LineChart.logarithmic([-1, 10, 1000]))  // not all positive
        let log = chart([2.3, 0.4, 0.05, 0.013])
        #expect(log.contains(">loss (log scale)</text>"))
        let ticks = log.components(separatedBy: "text-anchor=\"end\">").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(ticks == ["0.01", "0.1", "1", "10"])
        let linear = chart([0.9, 0.5, 0.2])
        #expect(linear.contains(">loss</text>") && !linear.contains("log scale"))
    }

    @Test func decadeTicksReadPlainlyNearOneAndAsPowersBeyond() {
        #expect(
            (-5...6).map(Ticks.decadeLabel) == [
                "1e-05", "0.0001", "0.001", "0.01", "0.1", "1", "10", "100", "1000", "10000", "1e+05", "1e+06",
            ])
        // Twenty decades: every third, at most eight ticks.
        let wide = Ticks.decades([1e-12, 1e8])
        #expect(wide.values.count <= 8 && wide.labels.first == "1e-12" && (wide.values.last ?? 0) >= 1e8)
    }

    @Test(arguments: [
        ("model: softmax", "softmax", "iteration"), ("model: logistic\nsolver: lbfgs", "logistic", "iteration"),
        ("model: logistic\nsolver: adam", "logistic", "epoch"), ("model: mlp", "mlp", "epoch"),
        ("model: gradient_boosting", "gradient_boosting", "iteration"), ("model: kmeans", "kmeans", "restart"),
    ])
    func theXAxisSaysWhatTheSeriesIsCountedIn(configuration: String, model: String, label: String) throws {
        var run = ReportFixture.run()
        run.steps[1].configuration = StepConfiguration(text: "op: train\n\(configuration)", variant: model)
        let html = try render(run)
        let step = html[html.range(of: "id=\"step-model\"")!.lowerBound...]
        #expect(step.contains(">\(label)</text>"))
        #expect(step.contains("<title>\(label) 3: model.loss 0.3333, model.val_loss 0.4</title>"))
    }

    @Test func eachIndexShowsItsValuesOnHover() {
        let svg = LineChart(
            title: "t", xLabel: "epoch", yLabel: "loss",
            lines: [
                .init(name: "a", points: [RecordedPoint(1, 0.5), RecordedPoint(2, 0.25)], dashed: false),
                .init(name: "b", points: [RecordedPoint(2, 0.75)], dashed: true),
            ]
        ).svg()
        let titles = svg.components(separatedBy: "<rect ").dropFirst().map { part in
            part.components(separatedBy: "<title>")[1].components(separatedBy: "</title>")[0]
        }
        #expect(titles == ["epoch 1: a 0.5", "epoch 2: a 0.25, b 0.75"])
        // A long series gets one band per few pixels, not one per point.
        let long = LineChart(
            title: "t", xLabel: "epoch", yLabel: "loss",
            lines: [.init(name: "a", points: (0..<5000).map { RecordedPoint($0, 1 / Double($0 + 1)) }, dashed: false)]
        ).svg()
        #expect(long.components(separatedBy: "<rect ").count - 1 == LineChart.bands)
    }

    @Test func tenLinesGetTenColoursThatTheStylesheetDefines() throws {
        let lines = (0..<10).map { LineChart.Line(name: "l\($0)", points: [RecordedPoint(1, 1)], dashed: false) }
        let svg = LineChart(title: "t", xLabel: "x", yLabel: "y", lines: lines).svg()
        let css = try ReportTemplates.builtIn().css
        for number in 0..<10 {
            #expect(svg.contains("class=\"line s\(number)\""))
            #expect(css.contains("svg .s\(number) { stroke: var(--series-\(number)); }"))
        }
        let colours = (0..<10).compactMap { number -> String? in
            guard let range = css.range(of: "--series-\(number): ") else { return nil }
            return String(css[range.upperBound...].prefix(7))
        }
        #expect(Set(colours).count == 10)
    }

    /// The stylesheet draws a chart's text larger as its figure narrows, at most `textRoom` units, for which
    /// the chart leaves room: at 346 px (a 390 px phone) that is 21 × 346 / 640 ≈ 11.4 px.
    @Test func chartTextStaysReadableOnAPhone() throws {
        let css = try ReportTemplates.builtIn().css
        #expect(css.contains("svg text { fill: var(--muted); font: 12px system-ui, sans-serif; }"))
        let sizes = css.components(separatedBy: "figure.chart svg text { font-size: ").dropFirst().compactMap {
            Double($0.prefix { $0.isNumber })
        }
        #expect(sizes == [14, 17, 21])
        #expect(sizes.max() == LineChart.textRoom)
        #expect(css.contains("@container (max-width: 420px) { figure.chart svg text { font-size: 21px; }"))
        #expect(21 * 346 / LineChart.width >= 11)
    }
}
