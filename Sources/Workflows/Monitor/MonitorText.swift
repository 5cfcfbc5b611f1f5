import Drift
import Foundation

/// What `athanor monitor` prints: the drifted columns as a small table, then where the report went.
enum MonitorText {
    static func summary(_ report: DriftReport, page: String) -> String {
        var lines: [String] = []
        let drifted = report.drifted
        let compared = "\(report.features.count) column\(report.features.count == 1 ? "" : "s")"
        if drifted.isEmpty {
            lines.append(
                "no drift: \(compared) of \(report.source) (\(report.rows) rows) against \(report.dataset) of run "
                    + "\(report.run), every PSI below \(format(report.threshold))")
        } else {
            lines.append(
                "drift in \(drifted.count) of \(compared) of \(report.source) (\(report.rows) rows) against "
                    + "\(report.dataset) of run \(report.run) (PSI ≥ \(format(report.threshold))):")
            let rows = drifted.map { drift in
                [
                    drift.name + (drift.role == .target ? " (target)" : drift.role == .prediction ? " (model)" : ""),
                    format(drift.psi),
                    drift.test == .ks ? "KS" : "χ²", drift.pValue.map(pValue) ?? "–",
                ]
            }
            lines += table([["column", "PSI", "test", "p-value"]] + rows)
        }
        if !report.missingColumns.isEmpty {
            lines.append("missing columns: " + report.missingColumns.joined(separator: ", "))
        }
        if let prediction = report.prediction {
            lines.append(
                "predictions of \(report.step): PSI \(format(prediction.psi)) against its predictions of "
                    + report.dataset)
        } else if let note = report.predictionNote {
            lines.append("predictions not compared: \(note)")
        }
        if report.refusedRows > 0 {
            lines.append(
                "the model refused \(report.refusedRows) row\(report.refusedRows == 1 ? "" : "s")"
                    + (report.refusals.map { ": \($0)" } ?? ""))
        }
        if let first = report.metrics.first {
            let values = report.metrics.map { metric in
                "\(metric.name) \(format(metric.value))"
                    + (metric.recorded.map { " (\(format($0)) in \(metric.recordedBy ?? "the run"))" } ?? "")
            }
            lines.append("on the \(first.rows) rows with a target: " + values.joined(separator: ", "))
        }
        if report.skippedLines > 0 {
            lines.append("skipped \(report.skippedLines) unreadable line\(report.skippedLines == 1 ? "" : "s")")
        }
        lines.append("report: \(page)")
        return lines.joined(separator: "\n")
    }

    static func table(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            "  "
                + zip(row, widths).enumerated().map { index, cell in
                    let padding = String(repeating: " ", count: cell.1 - cell.0.count)
                    return index == 0 ? cell.0 + padding : padding + cell.0
                }.joined(separator: "  ")
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    static func pValue(_ value: Double) -> String {
        value < 1e-4 ? String(format: "%.1e", value) : String(format: "%.4f", value)
    }
}
