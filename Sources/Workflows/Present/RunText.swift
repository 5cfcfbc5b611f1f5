import Foundation
import Notebook

/// Runs as text for people: the `runs` table, `show`, `diff`.
public enum RunText {
    public static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.6g", value)
    }

    /// Columns padded to their widest cell.
    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// The failed step of `run` as a diagnostic at its fence line in `notebook` (at path `path`), for
    /// a terminal that showed no progress: `nb.md:12:1: error: step 'model' failed: …`. Nil when no
    /// step failed.
    public static func failure(of run: RunRecord, in notebook: Notebook, path: String) -> String? {
        guard let failed = run.steps.first(where: { $0.status == .failed }) else { return nil }
        let place = notebook.steps.first { $0.name == failed.name }.map { ":\($0.location.line):1" } ?? ""
        return "\(path)\(place): error: step '\(failed.name)' failed: \(failed.error ?? "no error was recorded")"
    }

    /// A run's tags as `key=value`, in the order of their keys, as `runs`, `show` and `tag` print them.
    static func tags(_ run: RunRecord) -> [String] {
        run.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    public static func list(_ runs: [RunRecord]) -> String {
        let tagged = runs.contains { !$0.tags.isEmpty || $0.note != nil }
        var rows = [["ID", "STARTED", "STATUS", "SWEEP", "NOTEBOOK"] + (tagged ? ["TAGS"] : []) + ["METRICS"]]
        for run in runs {
            let metrics = run.metrics.compactMap { metric in metric.value.map { "\(metric.name)=\(number($0))" } }
            let shown = metrics.prefix(3).joined(separator: " ") + (metrics.count > 3 ? " …" : "")
            let tags = Self.tags(run) + (run.note.map { _ in ["(note)"] } ?? [])
            rows.append(
                [
                    run.id, date(run.started), run.status.rawValue, run.sweep ?? "-",
                    run.notebook + (reproduced(run).map { " (reproduces \($0))" } ?? ""),
                ]
                    + (tagged ? [tags.isEmpty ? "-" : tags.joined(separator: " ")] : []) + [shown])
        }
        return table(rows)
    }

    /// The run or report that `athanor reproduce` re-ran to make `run`, as the command named it.
    public static func reproduced(_ run: RunRecord) -> String? {
        guard run.command.count > 1, run.command[1] == "reproduce" else { return nil }
        return run.command.dropFirst(2).first { !$0.hasPrefix("-") }
    }

    public static func show(_ run: RunRecord) -> String {
        var lines: [String] = []
        lines.append("run \(run.id)  \(run.status.rawValue)")
        lines.append("notebook   \(run.notebook)  (sha256 \(run.notebookSHA256))")
        if let title = run.title { lines.append("title      \(title)") }
        let duration = run.finished.map { String(format: "%.2fs", $0.timeIntervalSince(run.started)) } ?? "-"
        lines.append("started    \(date(run.started))  duration \(duration)")
        lines.append("command    \(run.command.joined(separator: " "))")
        let git = run.environment.gitCommit.map {
            "\($0.prefix(12))\(run.environment.gitDirty == true ? " (dirty)" : "")"
        }
        lines.append(
            "machine    \(run.environment.cpuModel), \(run.environment.cores) cores; athanor \(run.environment.toolVersion)"
                + (git.map { "; git \($0)" } ?? ""))
        if let kernel = run.environment.blasKernel { lines.append("blas       \(kernel)") }
        if let report = run.report { lines.append("report     \(report)") }
        if !run.tags.isEmpty {
            lines.append("tags       " + tags(run).joined(separator: " "))
        }
        if let note = run.note { lines.append("note       \(note)") }
        if !run.parameters.isEmpty {
            lines.append("")
            lines.append("parameters")
            lines += run.parameters.map { "  \($0.name) = \($0.value)\($0.overridden ? "  (overridden)" : "")" }
        }
        if !run.datasets.isEmpty {
            lines.append("")
            lines.append("data")
            lines += run.datasets.map {
                "  \($0.step): \($0.path)  \($0.rows)×\($0.columns)  \($0.bytes) bytes  sha256 \($0.sha256)"
            }
        }
        lines.append("")
        lines.append("steps")
        for step in run.steps {
            var line = "  \(step.name) (\(step.op))  \(step.status.rawValue)"
            if let cache = step.cache { line += "  \(cache.rawValue)  " + String(format: "%.3fs", step.seconds) }
            lines.append(line)
            if let explanation = step.explanation { lines.append("      re-ran: \(explanation)") }
            if let error = step.error { lines.append("      error: \(error)") }
        }
        let scalars = run.metrics.filter { $0.value != nil }
        if !scalars.isEmpty {
            lines.append("")
            lines.append("metrics")
            lines += scalars.map { "  \($0.name) = \(number($0.value ?? 0))" }
        }
        if !run.series.isEmpty {
            lines.append("")
            lines.append("series")
            lines += run.series.map { series in
                "  \(series.name): \(series.points.count) points, last \(series.points.last.map { number($0.value) } ?? "-")"
            }
        }
        if !run.artifacts.isEmpty {
            lines.append("")
            lines.append("artifacts")
            lines += run.artifacts.map { "  \($0.step): \($0.name)  \($0.size) bytes  sha256 \($0.sha256)" }
        }
        return lines.joined(separator: "\n")
    }

    /// Parameters, data, metrics (with deltas) and environment of two runs side by side; only the
    /// rows that differ unless `all`.
    public static func diff(_ a: RunRecord, _ b: RunRecord, all: Bool) -> String {
        var sections: [String] = []
        func section(_ title: String, _ rows: [(String, String, String, String)]) {
            let shown = rows.filter { all || $0.1 != $0.2 }
            guard !shown.isEmpty else { return }
            let table = table([[title.uppercased(), a.id, b.id, ""]] + shown.map { [$0.0, $0.1, $0.2, $0.3] })
            sections.append(table)
        }
        let parameterNames = unique(a.parameters.map(\.name) + b.parameters.map(\.name))
        section(
            "parameter",
            parameterNames.map { name in
                (
                    name, a.parameters.first { $0.name == name }?.value ?? "-",
                    b.parameters.first { $0.name == name }?.value ?? "-", ""
                )
            })
        let dataKeys = unique(a.datasets.map { "\($0.step): \($0.path)" } + b.datasets.map { "\($0.step): \($0.path)" })
        section(
            "data",
            dataKeys.map { key in
                let left = a.datasets.first { "\($0.step): \($0.path)" == key }
                let right = b.datasets.first { "\($0.step): \($0.path)" == key }
                return (
                    key, left.map { String($0.sha256.prefix(12)) } ?? "-",
                    right.map { String($0.sha256.prefix(12)) } ?? "-", ""
                )
            })
        let metricNames = unique(a.metrics.map(\.name) + b.metrics.map(\.name))
        section(
            "metric",
            metricNames.compactMap { name in
                let left = a.metrics.first { $0.name == name }
                let right = b.metrics.first { $0.name == name }
                if left?.value == nil && right?.value == nil {
                    guard left?.json != nil || right?.json != nil else { return nil }
                    return (
                        name, left?.json == nil ? "-" : "matrix", right?.json == nil ? "-" : "matrix",
                        left?.json == right?.json ? "" : "differs"
                    )
                }
                var delta = ""
                if let l = left?.value, let r = right?.value, l != r { delta = (r - l >= 0 ? "+" : "") + number(r - l) }
                return (name, left?.value.map(number) ?? "-", right?.value.map(number) ?? "-", delta)
            })
        let environment: [(String, String, String, String)] = [
            ("athanor", a.environment.toolVersion, b.environment.toolVersion, ""),
            ("engine", a.environment.engineVersion, b.environment.engineVersion, ""),
            ("os", a.environment.os, b.environment.os, ""),
            ("cpu", a.environment.cpuModel, b.environment.cpuModel, ""),
            ("blas", a.environment.blasKernel?.name ?? "-", b.environment.blasKernel?.name ?? "-", ""),
            ("git", a.environment.gitCommit ?? "-", b.environment.gitCommit ?? "-", ""),
            ("notebook", String(a.notebookSHA256.prefix(12)), String(b.notebookSHA256.prefix(12)), ""),
        ]
        section("environment", environment)
        return sections.isEmpty ? "no differences" : sections.joined(separator: "\n\n")
    }

    /// Three runs or more (or the runs of a sweep) as one table, a run per row: the parameters and final
    /// metric values that differ between them, or all of them with `all`; the status when that differs.
    public static func diff(_ runs: [RunRecord], all: Bool) -> String {
        func differs(_ values: [String]) -> Bool { all || Set(values).count > 1 }
        var columns: [(title: String, cells: [String])] = []
        let statuses = runs.map(\.status.rawValue)
        if differs(statuses) { columns.append(("STATUS", statuses)) }
        for name in unique(runs.flatMap { $0.parameters.map(\.name) }) {
            let values = runs.map { run in run.parameters.first { $0.name == name }?.value ?? "-" }
            if differs(values) { columns.append((name, values)) }
        }
        let scalars = runs.flatMap { $0.metrics.filter { $0.value != nil }.map(\.name) }
        for name in unique(scalars) {
            let values = runs.map { run in run.metrics.first { $0.name == name }?.value.map(number) ?? "-" }
            if differs(values) { columns.append((name, values)) }
        }
        var notes: [String] = []
        let data = runs.map { $0.datasets.map(\.sha256).joined(separator: ",") }
        if Set(data).count > 1 { notes.append("the runs read different data (athanor diff RUN RUN shows which)") }
        let notebooks = runs.map(\.notebookSHA256)
        if Set(notebooks).count > 1 { notes.append("the runs come from different notebook texts") }
        guard !columns.isEmpty else {
            return (["no differences in parameters or metrics"] + notes).joined(separator: "\n")
        }
        var rows = [["RUN"] + columns.map(\.title)]
        for (index, run) in runs.enumerated() {
            rows.append([run.id] + columns.map { $0.cells[index] })
        }
        return ([table(rows)] + (notes.isEmpty ? [] : [""] + notes.map { "note: \($0)" })).joined(separator: "\n")
    }

    /// `list` with the values of `parameters` in a column, for the runs of a sweep.
    public static func list(_ runs: [RunRecord], parameters: [String]) -> String {
        guard !parameters.isEmpty else { return list(runs) }
        // The metrics that tell the runs apart come first.
        let names = unique(runs.flatMap { $0.metrics.filter { $0.value != nil }.map(\.name) })
        let differing = Set(
            names.filter { name in Set(runs.map { run in run.metrics.first { $0.name == name }?.value }).count > 1 })
        var rows = [["ID", "STARTED", "STATUS", "PARAMETERS", "METRICS"]]
        for run in runs {
            let values = parameters.map { name in
                "\(name)=\(run.parameters.first { $0.name == name }?.value ?? "-")"
            }
            let ordered =
                run.metrics.filter { differing.contains($0.name) }
                + run.metrics.filter { !differing.contains($0.name) }
            let metrics = ordered.compactMap { metric in metric.value.map { "\(metric.name)=\(number($0))" } }
            let shown = metrics.prefix(3).joined(separator: " ") + (metrics.count > 3 ? " …" : "")
            rows.append([run.id, date(run.started), run.status.rawValue, values.joined(separator: " "), shown])
        }
        return table(rows)
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}
