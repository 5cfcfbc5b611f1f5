import Foundation
import Report
import Runs

/// The index's table: one row per run, its headings links that sort by them, and a box per run to pick the
/// runs to compare (a form to `/compare`).
struct RunTable {
    var runs: [RunSummary]
    var columns: (parameters: [String], metrics: [String])
    var index: RunIndex

    func html() -> String {
        var out = "<form method=\"get\" action=\"/compare\">\n"
        out += "<div class=\"scroll\" tabindex=\"0\" role=\"group\" aria-label=\"runs to compare\">"
        out += "<table class=\"members\" id=\"runs\">\n<thead><tr>"
        out += "<th scope=\"col\"><span class=\"note\">compare</span></th>"
        out += heading("run", "id") + heading("status", "status") + heading("notebook", "notebook")
        out += heading("started", "started") + heading("duration", "duration", numeric: true)
        out += columns.parameters.map { heading($0, "param:\($0)") }.joined()
        out += columns.metrics.map { heading($0, "metric:\($0)", numeric: true) }.joined()
        out += heading("sweep", "sweep") + "</tr></thead>\n<tbody>\n"
        for run in runs { out += row(run) }
        out += "</tbody></table></div>\n"
        out += "<p><button type=\"submit\">Compare the runs ticked</button></p>\n</form>\n"
        return out
    }

    private func heading(_ title: String, _ key: String, numeric: Bool = false) -> String {
        let sorted = index.sort == key
        // A first press sorts a number column highest first, a text column A to Z; a second reverses it.
        let ascending = sorted ? !index.ascending : !numeric && key != "started"
        let state = sorted ? " aria-sort=\"\(index.ascending ? "ascending" : "descending")\"" : ""
        let link = BrowsePage.escape(index.link(sort: key, ascending: ascending, page: 1))
        return "<th scope=\"col\"\(numeric ? " class=\"num\"" : "")\(state)><a class=\"sort\" href=\"\(link)\">"
            + "\(BrowsePage.escape(title))</a></th>"
    }

    private func row(_ run: RunSummary) -> String {
        let id = BrowsePage.escape(run.id)
        let duration = run.finished.map { BrowsePage.seconds($0.timeIntervalSince(run.started)) } ?? "–"
        var out = "<tr class=\"status-row-\(run.status.rawValue)\">"
        out += "<td><input type=\"checkbox\" name=\"runs\" value=\"\(id)\" aria-label=\"compare \(id)\"></td>"
        out += "<th scope=\"row\"><a href=\"\(BrowsePage.escape(RunBrowser.link(run.id)))\"><code>\(id)</code></a>"
        if let title = run.title { out += " <span class=\"note\">\(BrowsePage.escape(title))</span>" }
        out += "</th><td>\(run.status.rawValue)</td><td><code>\(BrowsePage.escape(run.notebook))</code></td>"
        out += "<td><time datetime=\"\(BrowsePage.iso(run.started))\">\(BrowsePage.date(run.started))</time></td>"
        out += "<td class=\"num\">\(duration)</td>"
        for name in columns.parameters {
            out += "<td><code>\(BrowsePage.escape(run.parameter(name).map(RunCondition.plain) ?? "–"))</code></td>"
        }
        for name in columns.metrics {
            out += "<td class=\"num\">\(run.metric(name).map(BrowsePage.number) ?? "–")</td>"
        }
        if let sweep = run.sweep {
            let href = "/sweeps/" + (sweep.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? sweep)
            out += "<td><a href=\"\(BrowsePage.escape(href))\"><code>\(BrowsePage.escape(sweep))</code></a></td>"
        } else {
            out += "<td>–</td>"
        }
        return out + "</tr>\n"
    }
}
