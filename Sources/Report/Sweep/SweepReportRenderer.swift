import Crypto
import Foundation
import Runs

/// Renders a sweep's comparison as one self-contained HTML page, to the run report's standards: styles and
/// charts inline, every value escaped, a Content-Security-Policy that allows no request, and one inline script
/// (sorting the table of runs), allowed by its hash, without which the page reads the same.
public struct SweepReportRenderer: Sendable {
    let templates: ReportTemplates

    public init(templates: ReportTemplates) {
        self.templates = templates
    }

    /// The page; `link(RUNID)` is the address of a run's report from where the page will be saved.
    public func render(_ sweep: SweepComparison, link: @escaping (String) -> String) throws -> String {
        var values = SweepContext(sweep: sweep, link: link).values()
        let css = templates.css + "\n" + templates.sweepCSS
        values["css"] = css
        values["script"] = templates.sweepScript
        values["csp"] = Self.contentSecurityPolicy(css: css, script: templates.sweepScript)
        return try templates.render(values, template: "sweep")
    }

    /// The run report's policy, plus the one inline script allowed by its hash.
    static func contentSecurityPolicy(css: String, script: String) -> String {
        let style = Data(SHA256.hash(data: Data(css.utf8))).base64EncodedString()
        let code = Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'sha256-\(style)'; script-src 'sha256-\(code)'; img-src data:; "
            + "base-uri 'none'; form-action 'none'"
    }
}

/// The values `sweep.mustache` reads. Strings are plain text that the template escapes; `svg` is built from
/// escaped parts.
struct SweepContext {
    let sweep: SweepComparison
    let link: (String) -> String

    /// Colours the lines of a chart cycle through; after them, lines are dashed.
    static let palette = 8

    func values() -> [String: Any] {
        let runs = sweep.runs
        let failed = runs.filter { $0.status != .succeeded }.count + sweep.missing.count
        let total = runs.count + sweep.missing.count
        let started = runs.map(\.started).min()
        let finished = runs.compactMap(\.finished).max()
        var values: [String: Any] = [
            "id": sweep.id,
            "title": runs.compactMap(\.title).first
                ?? URL(fileURLWithPath: sweep.notebook).deletingPathExtension().lastPathComponent,
            "notebook": sweep.notebook,
            "status": failed == 0 ? "succeeded" : "failed",
            "statusText": failed == 0 ? "All \(total) runs succeeded" : "\(failed) of \(total) runs failed",
            "runsText": "\(total) (\(total - failed) succeeded"
                + (failed > 0 ? ", \(failed) failed" : "") + ")",
            "started": started.map(Format.date) ?? "–",
            "startedISO": started.map(Format.iso) ?? "",
            "duration": started.flatMap { start in finished.map { Format.seconds($0.timeIntervalSince(start)) } }
                ?? "not finished",
            "toolVersion": runs.first?.environment.toolVersion ?? AthanorVersion.current,
            "command": sweep.command.map(ReportContext.shellQuoted).joined(separator: " "),
        ]
        values["swept"] = sweep.swept.enumerated().map { index, parameter -> [String: Any] in
            [
                "name": parameter.name, "values": parameter.values.joined(separator: ", "),
                "logarithmic": parameter.logarithmic, "more": index < sweep.swept.count - 1,
            ]
        }
        let sweptNames = Set(sweep.swept.map(\.name))
        let fixed = (runs.first?.parameters ?? []).filter { $0.overridden && !sweptNames.contains($0.name) }
        values["fixed"] = fixed.enumerated().map { index, parameter -> [String: Any] in
            ["name": parameter.name, "value": parameter.value, "more": index < fixed.count - 1]
        }
        let best = sweep.objective?.best(of: runs)
        if let objective = sweep.objective {
            values["objective"] = [
                "metric": objective.metric, "direction": objective.maximize ? "maximized" : "minimized",
                "reason": objective.reason,
            ]
            if let best, let value = objective.value(in: best) {
                values["best"] = [
                    "id": best.id, "href": link(best.id), "metric": objective.metric, "value": Format.number(value),
                    "label": sweep.label(best),
                ]
            }
        }
        let tied = sweep.objective.map { $0.tiedBest(of: runs) } ?? []
        if tied.count > 1, let objective = sweep.objective, let value = objective.value(in: tied[0]) {
            values["tie"] =
                "\(tied.count) runs tie at \(objective.metric) = \(Format.number(value)): "
                + tied.map(\.id).joined(separator: ", ") + "; the first in the grid's order is shown as best"
        }
        if sweep.summarisesSpread {
            let spread = MetricSpread.of(runs)
            values["spread"] = spread.map { metric -> [String: Any] in
                [
                    "name": metric.name, "mean": Format.number(metric.mean),
                    "std": Format.number(metric.standardDeviation), "min": Format.number(metric.minimum),
                    "max": Format.number(metric.maximum), "count": metric.count,
                ]
            }
            values["hasSpread"] = !spread.isEmpty
        }
        let table = self.table(best: best, tied: Set(tied.count > 1 ? tied.map(\.id) : []))
        values["columns"] = table.columns
        values["rows"] = table.rows
        values["missing"] = sweep.missing.map { ["label": $0.label, "error": $0.error] }
        values["hasMissing"] = !sweep.missing.isEmpty
        let charts = objectiveCharts(best: best)
        values["objectiveCharts"] = charts
        values["hasObjectiveCharts"] = !charts.isEmpty
        let curves = self.curves()
        values["curves"] = curves.charts
        values["hasCurves"] = !curves.charts.isEmpty
        values["sameCurves"] = curves.same.isEmpty ? nil : curves.same.joined(separator: ", ")
        values["curveLegend"] = runs.enumerated().map { index, run -> [String: Any] in
            ["style": Self.style(index), "id": run.id, "label": sweep.label(run)]
        }
        return values
    }

    static func style(_ index: Int) -> String {
        "s\(index % palette)" + ((index / palette) % 2 == 1 ? " dashed" : "")
    }

    // MARK: The table of runs

    /// Columns: the swept parameters, the objective, the other final metrics, the duration.
    private func table(best: RunRecord?, tied: Set<String>) -> (columns: [[String: Any]], rows: [[String: Any]]) {
        let runs = sweep.runs
        let objective = sweep.objective?.metric
        var metrics: [String] = []
        for run in runs {
            for metric in run.metrics where metric.value != nil && metric.name != objective {
                if !metrics.contains(metric.name) { metrics.append(metric.name) }
            }
        }
        var columns: [[String: Any]] = sweep.swept.map { ["name": $0.name, "kind": "param"] }
        if let objective { columns.append(["name": objective, "kind": "objective"]) }
        columns += metrics.map { ["name": $0, "kind": "metric"] }
        columns.append(["name": "duration", "kind": "seconds"])

        func number(_ value: Double?, kind: String) -> [String: Any] {
            guard let value else { return ["text": "–", "sort": "", "kind": kind] }
            return [
                "text": Format.number(value), "sort": value.isFinite ? Format.exact(value) : "",
                "exact": Format.exact(value),
                "kind": kind,
            ]
        }
        let rows = runs.map { run -> [String: Any] in
            var cells: [[String: Any]] = sweep.swept.map { parameter in
                let value = sweep.value(parameter.name, in: run)
                let number = Double(value)
                return [
                    "text": value, "sort": number.map(Format.exact) ?? value,
                    "kind": number == nil ? "param" : "param num",
                ]
            }
            if let objective = sweep.objective { cells.append(number(objective.value(in: run), kind: "objective")) }
            for name in metrics {
                cells.append(number(run.metrics.first { $0.name == name }?.value, kind: "metric"))
            }
            let seconds = run.finished.map { $0.timeIntervalSince(run.started) }
            cells.append([
                "text": seconds.map(Format.seconds) ?? "–", "sort": seconds.map { String(format: "%.3f", $0) } ?? "",
                "kind": "seconds",
            ])
            var statusText = run.status.rawValue
            if let failed = run.steps.first(where: { $0.status == .failed }) {
                statusText = "failed at '\(failed.name)'"
            }
            return [
                "id": run.id, "href": link(run.id), "best": run.id == best?.id, "tied": tied.contains(run.id),
                "status": run.status.rawValue,
                "statusText": statusText, "cells": cells,
            ]
        }
        return (columns, rows)
    }

    // MARK: Charts

    /// For each swept parameter: the objective of every run against its value, the runs that share the other
    /// parameters' values joined by a line.
    private func objectiveCharts(best: RunRecord?) -> [[String: Any]] {
        guard let objective = sweep.objective else { return [] }
        let measured = sweep.runs.filter { objective.value(in: $0)?.isFinite == true }
        guard !measured.isEmpty else { return [] }
        return sweep.swept.map { parameter in
            let numbers = parameter.values.compactMap(Double.init)
            let numeric = numbers.count == parameter.values.count
            let scale: ScatterChart.Scale =
                !numeric ? .categories : parameter.logarithmic && numbers.allSatisfy { $0 > 0 } ? .logarithmic : .linear
            let ticks = parameter.values.enumerated().map { index, text in
                (x: numeric ? numbers[index] : Double(index), label: text)
            }
            let others = sweep.swept.filter { $0.name != parameter.name }
            var groups: [ScatterChart.Group] = []
            for run in measured {
                let name =
                    others.isEmpty
                    ? "all runs" : others.map { "\($0.name)=\(sweep.value($0.name, in: run))" }.joined(separator: " ")
                let text = sweep.value(parameter.name, in: run)
                guard let x = numeric ? Double(text) : parameter.values.firstIndex(of: text).map(Double.init),
                    let y = objective.value(in: run)
                else { continue }
                let point = ScatterChart.Point(
                    x: x, y: y, label: "\(run.id): \(sweep.label(run)), \(objective.metric) = \(Format.number(y))",
                    best: run.id == best?.id)
                if let index = groups.firstIndex(where: { $0.name == name }) {
                    groups[index].points.append(point)
                } else {
                    groups.append(ScatterChart.Group(name: name, points: [point]))
                }
            }
            let chart = ScatterChart(
                title: "\(objective.metric) against \(parameter.name)", xLabel: parameter.name,
                yLabel: objective.metric, scale: scale, ticks: ticks, groups: groups, palette: Self.palette)
            let best = best.map { " The best run, \($0.id), is ringed." } ?? ""
            let caption =
                "\(objective.metric) (\(objective.maximize ? "higher" : "lower") is better) of each run against "
                + "\(parameter.name)" + (others.isEmpty ? "." : "; a line joins the runs that share the other values.")
                + best
            return [
                "svg": chart.svg(), "caption": caption, "hasLegend": groups.count > 1,
                "legend": groups.enumerated().map { index, group in
                    ["style": "s\(index % Self.palette)", "label": group.name]
                },
            ]
        }
    }

    /// One chart per series name (`mlp.loss`), a line per run, in the runs' colours of the legend.
    private func curves() -> (charts: [[String: Any]], same: [String]) {
        var names: [String] = []
        for run in sweep.runs {
            for series in run.series where !series.points.isEmpty && !names.contains(series.name) {
                names.append(series.name)
            }
        }
        // A series every run has the same (a baseline's loss, when the baseline reads no swept parameter)
        // would only draw one line over another.
        let shown = names.filter { name in
            Set(sweep.runs.map { run in run.series.first { $0.name == name }?.points ?? [] }).count > 1
        }
        let charts = shown.map { name -> [String: Any] in
            let lines = sweep.runs.enumerated().map { index, run in
                LineChart.Line(
                    name: "\(run.id) \(sweep.label(run))",
                    points: run.series.first { $0.name == name }?.points ?? [],
                    dashed: (index / Self.palette) % 2 == 1)
            }
            let metric = name.split(separator: ".", maxSplits: 1).last.map(String.init) ?? name
            let xLabel = ReportContext.xLabel(series: name, runs: sweep.runs)
            let chart = LineChart(
                title: name, xLabel: xLabel, yLabel: metric, lines: lines, palette: Self.palette, showsLegend: false)
            let count = lines.filter { !$0.points.isEmpty }.count
            return ["svg": chart.svg(), "caption": "\(name) of \(count) run\(count == 1 ? "" : "s"), by \(xLabel)."]
        }
        return (charts, names.filter { !shown.contains($0) })
    }
}
