import Foundation
import Runs
import Testing

@testable import Report

/// A seed sweep (or `--aggregate`) shows every metric's mean ± std, min and max over the runs, and a tie for
/// the best run is said, never broken in silence.
@Suite struct SweepSpreadTests {
    static func runs(_ accuracies: [Double]) -> [RunRecord] {
        accuracies.enumerated().map { index, accuracy in
            var run = ReportFixture.run(status: .succeeded)
            run.id = "run0000\(index + 1)"
            run.parameters = [RecordedParameter(name: "seed", value: "\(index + 1)", overridden: true)]
            run.metrics = [MetricRecord(name: "eval.accuracy", value: accuracy)]
            return run
        }
    }

    static func comparison(_ runs: [RunRecord], swept: String = "seed", aggregate: Bool = false) -> SweepComparison {
        SweepComparison(
            id: "s1234567", notebook: "nb.md",
            swept: [SweptParameter(name: swept, values: runs.indices.map { "\($0 + 1)" }, logarithmic: false)],
            runs: runs, objective: SweepObjective.chosen(for: runs), command: ["athanor"], aggregate: aggregate)
    }

    func render(_ comparison: SweepComparison) throws -> String {
        try SweepReportRenderer(templates: try ReportTemplates.builtIn()).render(comparison) { "\($0).html" }
    }

    /// pandas: `pd.Series([0.5, 0.75, 0.625]).agg(["mean", "std", "min", "max"])` → 0.625, 0.125, 0.5, 0.75.
    @Test func theSpreadMatchesPandas() throws {
        let spread = MetricSpread.of(Self.runs([0.5, 0.75, 0.625]))
        #expect(spread.map(\.name) == ["eval.accuracy"])
        let metric = try #require(spread.first)
        #expect(metric.mean == 0.625 && metric.standardDeviation == 0.125)
        #expect(metric.minimum == 0.5 && metric.maximum == 0.75 && metric.count == 3)
    }

    @Test func aSeedSweepShowsEachMetricAcrossTheRuns() throws {
        let html = try render(Self.comparison(Self.runs([0.5, 0.75, 0.625])))
        #expect(
            html.contains(
                "<tr><th scope=\"row\"><code>eval.accuracy</code></th><td class=\"num\">0.625 ± 0.125</td>"
                    + "<td class=\"num\">0.5</td><td class=\"num\">0.75</td><td class=\"num\">3</td></tr>"))
    }

    @Test func aSweepOfAChoiceShowsTheSpreadOnlyWhenAsked() throws {
        let runs = Self.runs([0.5, 0.75, 0.625])
        #expect(!(try render(Self.comparison(runs, swept: "lr"))).contains("Across the runs"))
        #expect(try render(Self.comparison(runs, swept: "lr", aggregate: true)).contains("Across the runs"))
    }

    @Test func tiesForTheBestAreFlaggedOnEveryTiedRun() throws {
        let html = try render(Self.comparison(Self.runs([0.75, 0.5, 0.75])))
        #expect(html.contains("<span class=\"flag tie-flag\">tie</span> <span class=\"note\">2 runs tie at"))
        #expect(html.contains("2 runs tie at eval.accuracy = 0.75: run00001, run00003; the first in the grid"))
        let body = html.components(separatedBy: "<tbody>").dropFirst().last ?? ""
        let rows = body.components(separatedBy: "</tr>").filter { $0.contains("<tr") }
        let tied = rows.filter { $0.contains("tie-flag\">tied<") }
        #expect(tied.count == 2 && tied[0].contains("run00001") && tied[1].contains("run00003"))
        #expect(!(try render(Self.comparison(Self.runs([0.75, 0.5, 0.625])))).contains("tie-flag"))
    }
}
