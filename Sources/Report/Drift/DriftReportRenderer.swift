import Drift
import Foundation
import Runs

/// Renders what `athanor monitor` found as one self-contained page in the run report's look: the report's
/// stylesheet and `drift.css` inline, a table of every column, a chart of each drifted column's two
/// distributions, and the report's Content-Security-Policy (no request, no script).
public struct DriftReportRenderer: Sendable {
    let templates: ReportTemplates

    public init(templates: ReportTemplates) {
        self.templates = templates
    }

    public func render(_ report: DriftReport) throws -> String {
        let css = templates.css + "\n" + templates.driftCSS
        var values = Self.values(report)
        values["css"] = css
        values["csp"] = ReportRenderer.contentSecurityPolicy(css: css)
        return try templates.render(values, template: "drift")
    }

    static func values(_ report: DriftReport) -> [String: Any] {
        let drifted = report.drifted
        var values: [String: Any] = [
            "run": report.run, "step": report.step, "dataset": report.dataset, "source": report.source,
            "rows": report.rows, "trainingRows": report.trainingRows, "threshold": Format.number(report.threshold),
            "toolVersion": AthanorVersion.current,
            "status": drifted.isEmpty ? "succeeded" : "failed",
            "statusText": drifted.isEmpty
                ? "No drift: every PSI below \(Format.number(report.threshold))"
                : "Drift in \(drifted.count) of \(report.features.count) columns",
        ]
        values["features"] = (report.features + (report.prediction.map { [$0] } ?? [])).map {
            drift -> [String: Any] in
            [
                "name": drift.name, "target": drift.role == .target, "prediction": drift.role == .prediction,
                "kind": drift.numeric ? "number" : "category",
                "psi": String(format: "%.4f", drift.psi), "test": drift.test == .ks ? "KS" : "χ²",
                "statistic": drift.statistic.map { String(format: "%.4g", $0) } ?? "–",
                "pValue": drift.pValue.map { String(format: "%.3g", $0) } ?? "–",
                "trainingMissing": percent(drift.trainingMissingRate), "newMissing": percent(drift.newMissingRate),
                "drifted": drift.drifted,
                "notes": [
                    drift.unreadable > 0 ? "\(drift.unreadable) values not numbers" : nil,
                    drift.newCategories > 0 ? "\(drift.newCategories) rows of unseen categories" : nil,
                ].compactMap { $0 }.joined(separator: "; "),
            ]
        }
        values["charts"] = drifted.map { drift -> [String: Any] in
            let title = "\(drift.name): PSI \(String(format: "%.3f", drift.psi))"
            return [
                "name": drift.name, "svg": DistributionChart(title: title, bins: drift.bins).svg(),
                "caption": drift.role == .prediction
                    ? "Share of the model's predictions in each bin: of the training data, and of the new data."
                    : drift.numeric
                        ? "Share of rows in each decile bin of the training data, and missing."
                        : "Share of rows of each category, the training data's most frequent first.",
            ]
        }
        values["hasCharts"] = !drifted.isEmpty
        values["missingColumns"] = report.missingColumns.isEmpty ? nil : report.missingColumns.joined(separator: ", ")
        values["extraColumns"] = report.extraColumns.isEmpty ? nil : report.extraColumns.joined(separator: ", ")
        values["skippedLines"] = report.skippedLines > 0 ? report.skippedLines : nil
        values["predictionNote"] = report.predictionNote
        values["refusals"] =
            report.refusedRows > 0
            ? "\(report.refusedRows) rows refused by the model" + (report.refusals.map { ": \($0)" } ?? "") : nil
        values["hasMetrics"] = !report.metrics.isEmpty
        values["metricRows"] = report.metrics.first?.rows ?? 0
        values["metrics"] = report.metrics.map { metric -> [String: Any] in
            [
                "name": metric.name, "value": String(format: "%.4f", metric.value),
                "recorded": metric.recorded.map { String(format: "%.4f", $0) } ?? "–",
                "recordedBy": metric.recordedBy ?? "",
            ]
        }
        return values
    }

    static func percent(_ rate: Double) -> String { String(format: "%.1f%%", rate * 100) }
}
