import Foundation
import Runs

/// `athanor diff` as a page: parameters, data hashes, metrics with their change from the first run, and the
/// environment side by side (by default only what differs), then every training curve with a line per run.
public struct ComparisonPage: Sendable {
    public var runs: [RunRecord]
    /// Whether rows whose values are the same in every run are shown too.
    public var all: Bool

    public init(runs: [RunRecord], all: Bool) {
        self.runs = runs
        self.all = all
    }

    /// The page; `link(RUNID)` is the address of a run's report, `toggle` that of this page with `all` flipped.
    public func page(link: (String) -> String, toggle: String) -> BrowsePage {
        let ids = runs.map(\.id).joined(separator: ", ")
        var body = """
            <header class="summary">
            <p class="kicker">Athanor comparison · <a href="/">all runs</a> · <a href="\(HTML.escape(toggle))">\
            \(all ? "only what differs" : "show everything")</a></p>
            <h1>\(runs.count) runs compared</h1>
            <dl class="facts">
            """
        for run in runs {
            body += "<div><dt><a href=\"\(HTML.escape(link(run.id)))\"><code>\(HTML.escape(run.id))</code></a></dt>"
            body += "<dd>\(HTML.escape(run.status.rawValue)), <code>\(HTML.escape(run.notebook))</code>, "
            body += "\(HTML.escape(Format.date(run.started)))</dd></div>\n"
        }
        body += "</dl>\n</header>\n"
        body += section(
            "parameters", "Parameters",
            rows(names(\.parameters, \.name)) { run, name in run.parameters.first { $0.name == name }?.value })
        body += section(
            "data", "Data",
            rows(names(\.datasets, \.step)) { run, step in
                run.datasets.first { $0.step == step }.map { "\($0.sha256.prefix(12)) (\($0.rows)×\($0.columns))" }
            })
        body += metricsSection()
        body += section(
            "environment", "Environment",
            rows(Self.environment.map(\.0)) { run, name in
                Self.environment.first { $0.0 == name }?.1(run.environment)
            })
        body += curves()
        return BrowsePage(title: "Compare \(ids)", body: body)
    }

    static let environment: [(String, @Sendable (EnvironmentRecord) -> String)] = [
        ("tool version", { $0.toolVersion }), ("engine version", { $0.engineVersion }), ("os", { $0.os }),
        ("cpu", { $0.cpuModel }), ("cores", { "\($0.cores)" }), ("git commit", { $0.gitCommit ?? "–" }),
        ("git dirty", { $0.gitDirty.map { $0 ? "yes" : "no" } ?? "–" }),
        ("BLAS kernel", { $0.blasKernel?.name ?? "–" }),
    ]

    /// Every name a list of the runs holds, in the order first met.
    private func names<Item>(_ list: KeyPath<RunRecord, [Item]>, _ name: KeyPath<Item, String>) -> [String] {
        var seen: Set<String> = []
        return runs.flatMap { $0[keyPath: list].map { $0[keyPath: name] } }.filter { seen.insert($0).inserted }
    }

    private var heading: String {
        "<tr><th scope=\"col\">name</th>"
            + runs.map { "<th scope=\"col\"><code>\(HTML.escape($0.id))</code></th>" }.joined() + "</tr>"
    }

    /// The table rows of `names`, each run's value by `value` ("–" when it has none); equal rows only if `all`.
    private func rows(_ names: [String], value: (RunRecord, String) -> String?) -> [String] {
        names.compactMap { name in
            let values = runs.map { value($0, name) ?? "–" }
            let differs = Set(values).count > 1
            guard all || differs else { return nil }
            return "<tr\(differs ? " class=\"differs\"" : "")><th scope=\"row\"><code>\(HTML.escape(name))</code></th>"
                + values.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>"
        }
    }

    private func section(_ id: String, _ title: String, _ rows: [String], head: String? = nil) -> String {
        var out = "<section aria-labelledby=\"\(id)\">\n<h2 id=\"\(id)\">\(title)</h2>\n"
        if rows.isEmpty {
            out += "<p class=\"note\">\(all ? "None recorded." : "The same in every run.")</p>\n"
        } else {
            out += "<div class=\"scroll\" tabindex=\"0\"><table class=\"members\">\n<thead>\(head ?? heading)</thead>\n"
            out += "<tbody>\n" + rows.joined(separator: "\n") + "\n</tbody></table></div>\n"
        }
        return out + "</section>\n"
    }

    /// Metrics with, for each run after the first, its change from the first run.
    private func metricsSection() -> String {
        let head =
            "<tr><th scope=\"col\">metric</th>"
            + runs.enumerated().map { index, run in
                "<th scope=\"col\" class=\"num\"><code>\(HTML.escape(run.id))</code></th>"
                    + (index == 0 ? "" : "<th scope=\"col\" class=\"num\">Δ</th>")
            }.joined() + "</tr>"
        let rows = names(\.metrics, \.name).compactMap { name -> String? in
            let values = runs.map { run in run.metrics.first { $0.name == name }?.value }
            let texts = values.map { $0.map(Format.number) ?? "–" }
            let differs = Set(texts).count > 1
            guard all || differs else { return nil }
            var row =
                "<tr\(differs ? " class=\"differs\"" : "")><th scope=\"row\"><code>\(HTML.escape(name))</code></th>"
            for (index, value) in values.enumerated() {
                row += "<td class=\"num\">\(HTML.escape(texts[index]))</td>"
                guard index > 0 else { continue }
                if let value, let base = values[0], value.isFinite, base.isFinite {
                    let delta = value - base
                    let kind = delta > 0 ? " delta-up" : delta < 0 ? " delta-down" : ""
                    row += "<td class=\"num\(kind)\">\(delta > 0 ? "+" : "")\(HTML.escape(Format.number(delta)))</td>"
                } else {
                    row += "<td class=\"num\">–</td>"
                }
            }
            return row + "</tr>"
        }
        return section("metrics", "Metrics", rows, head: head)
    }

    /// One chart per series name, a line per run that recorded it.
    private func curves() -> String {
        let names = names(\.series, \.name)
        guard !names.isEmpty else { return "" }
        var out = "<section aria-labelledby=\"curves\">\n<h2 id=\"curves\">Training curves</h2>\n"
        for name in names {
            let lines = runs.enumerated().map { index, run in
                LineChart.Line(
                    name: run.id, points: run.series.first { $0.name == name }?.points ?? [],
                    dashed: (index / SweepContext.palette) % 2 == 1)
            }
            let metric = name.split(separator: ".", maxSplits: 1).last.map(String.init) ?? name
            let xLabel = ReportContext.xLabel(series: name, runs: runs)
            let chart = LineChart(
                title: name, xLabel: xLabel, yLabel: metric, lines: lines, palette: SweepContext.palette)
            out += "<figure class=\"chart\">\(chart.svg())<figcaption>\(HTML.escape(name)) by \(xLabel), "
            out += "a line per run.</figcaption></figure>\n"
        }
        return out + "</section>\n"
    }
}
