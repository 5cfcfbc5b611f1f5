import FlyingFox
import Foundation
import Report
import Runs

/// `/`: every run newest first, filtered by notebook, status and conditions on parameters and metrics
/// (`?where=lr=0.01,eval.accuracy>0.9`), sorted by any column (`?sort=metric:eval.accuracy&order=asc`), 100
/// runs a page (`?page=2`). Sorting and paging are links and the filter a plain form: the page has no script.
struct RunIndex {
    static let pageSize = 100
    /// Parameter and metric columns at most, besides those the filter or the sort names.
    static let keyColumnCount = 4

    var notebook: String
    var status: String
    var conditions: [RunCondition]
    var conditionText: String
    var sort: String
    var ascending: Bool
    var page: Int
    let all: [RunSummary]
    /// Conditions that do not read, to say so on the page.
    var invalid: [String]

    init(query: [HTTPRequest.QueryItem], summaries: [RunSummary]) {
        func value(_ name: String) -> String {
            query.last { $0.name == name }?.value.trimmingCharacters(in: .whitespaces) ?? ""
        }
        notebook = value("notebook")
        status = value("status")
        conditionText = value("where")
        var conditions: [RunCondition] = []
        var invalid: [String] = []
        for text in conditionText.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !text.isEmpty {
            if let condition = RunCondition(text) { conditions.append(condition) } else { invalid.append(text) }
        }
        self.conditions = conditions
        self.invalid = invalid
        sort = value("sort").isEmpty ? "started" : value("sort")
        ascending = value("order") == "asc"
        page = max(1, Int(value("page")) ?? 1)
        all = summaries
    }

    /// The runs the filter keeps, in the chosen order.
    var selected: [RunSummary] {
        let kept = all.filter { run in
            (notebook.isEmpty || run.notebook == notebook) && (status.isEmpty || run.status.rawValue == status)
                && conditions.allSatisfy { $0.holds(for: run) }
        }
        guard sort != "started" || ascending else { return kept }
        let key = SortKey(sort)
        // A stable sort on the newest-first list: ties keep the newest first; runs without the value go last.
        return kept.enumerated().sorted { a, b in
            switch (key.value(a.element), key.value(b.element)) {
            case let (x?, y?) where x != y: return ascending ? x < y : y < x
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    func browsePage() -> BrowsePage {
        let runs = selected
        let pages = max(1, (runs.count + Self.pageSize - 1) / Self.pageSize)
        let page = min(self.page, pages)
        let shown = Array(runs.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize))
        let columns = keyColumns(runs)
        var body = """
            <header class="summary">
            <p class="kicker">Athanor · <a href="/api/runs">runs as JSON</a></p>
            <h1>Runs</h1>
            <p>\(runs.count) of \(all.count) run\(all.count == 1 ? "" : "s") recorded\
            \(pages > 1 ? ", page \(page) of \(pages)" : ""). Newest first unless sorted by a column.</p>
            </header>
            \(filterForm())
            """
        if !invalid.isEmpty {
            body += "<p class=\"error\">Not a condition: <code>\(BrowsePage.escape(invalid.joined(separator: ", ")))"
            body += "</code>. Write <code>NAME=VALUE</code>, <code>NAME&gt;NUMBER</code> (or <code>&lt;</code>, "
            body += "<code>&gt;=</code>, <code>&lt;=</code>, <code>!=</code>).</p>\n"
        }
        if shown.isEmpty {
            body += "<p class=\"note\">No run matches.</p>\n"
        } else {
            body += RunTable(runs: shown, columns: columns, index: self).html()
        }
        body += pager(page: page, pages: pages)
        return BrowsePage(title: "Athanor runs", body: body)
    }

    /// The parameters that differ among the runs and the metrics most runs recorded, each up to
    /// `keyColumns`, with any the filter or the sort names.
    func keyColumns(_ runs: [RunSummary]) -> (parameters: [String], metrics: [String]) {
        var values: [String: Set<String>] = [:]
        var order: [String] = []
        var counts: [String: Int] = [:]
        var metricOrder: [String] = []
        for run in runs.prefix(1_000) {
            for parameter in run.parameters {
                if values[parameter.name] == nil { order.append(parameter.name) }
                values[parameter.name, default: []].insert(parameter.value)
            }
            for metric in run.metrics {
                if counts[metric.name] == nil { metricOrder.append(metric.name) }
                counts[metric.name, default: 0] += 1
            }
        }
        var parameters = Array(order.filter { (values[$0]?.count ?? 0) > 1 }.prefix(Self.keyColumnCount))
        var metrics = Array(
            metricOrder.enumerated().sorted {
                (counts[$0.element] ?? 0, -$0.offset) > (counts[$1.element] ?? 0, -$1.offset)
            }
            .map(\.element).prefix(Self.keyColumnCount))
        let named = conditions.map(\.name) + [SortKey(sort).name].compactMap { $0 }
        for name in named where !parameters.contains(name) && !metrics.contains(name) {
            if values[name] != nil { parameters.append(name) } else if counts[name] != nil { metrics.append(name) }
        }
        return (parameters, metrics)
    }

    private func filterForm() -> String {
        let notebooks = Array(Set(all.map(\.notebook))).sorted()
        let statuses = ["succeeded", "failed", "interrupted", "running", "abandoned"]
        func option(_ value: String, _ label: String, _ chosen: String) -> String {
            "<option value=\"\(BrowsePage.escape(value))\"\(value == chosen ? " selected" : "")>"
                + "\(BrowsePage.escape(label))</option>"
        }
        return """
            <form class="filter" method="get" action="/" role="search">
            <label>Notebook <select name="notebook">\(option("", "any", notebook))\
            \(notebooks.map { option($0, $0, notebook) }.joined())</select></label>
            <label>Status <select name="status">\(option("", "any", status))\
            \(statuses.map { option($0, $0, status) }.joined())</select></label>
            <label>Parameters and metrics <input type="text" name="where" size="32" \
            value="\(BrowsePage.escape(conditionText))" placeholder="lr=0.01, eval.accuracy>0.9"></label>
            <input type="hidden" name="sort" value="\(BrowsePage.escape(sort))">\
            <input type="hidden" name="order" value="\(ascending ? "asc" : "desc")">
            <button type="submit">Filter</button> <a href="/">clear</a>
            </form>

            """
    }

    private func pager(page: Int, pages: Int) -> String {
        guard pages > 1 else { return "" }
        var links: [String] = []
        if page > 1 { links.append("<a href=\"\(BrowsePage.escape(link(page: page - 1)))\" rel=\"prev\">newer</a>") }
        links.append("page \(page) of \(pages)")
        if page < pages {
            links.append("<a href=\"\(BrowsePage.escape(link(page: page + 1)))\" rel=\"next\">older</a>")
        }
        return "<nav class=\"pages\" aria-label=\"pages\">\(links.joined(separator: " "))</nav>\n"
    }

    /// This page's address with some of its settings changed.
    func link(sort: String? = nil, ascending: Bool? = nil, page: Int? = nil) -> String {
        var items: [URLQueryItem] = []
        for (name, value) in [("notebook", notebook), ("status", status), ("where", conditionText)] where !value.isEmpty
        {
            items.append(URLQueryItem(name: name, value: value))
        }
        let sort = sort ?? self.sort
        let ascending = ascending ?? self.ascending
        if sort != "started" || ascending {
            items.append(URLQueryItem(name: "sort", value: sort))
            items.append(URLQueryItem(name: "order", value: ascending ? "asc" : "desc"))
        }
        if let page, page > 1 { items.append(URLQueryItem(name: "page", value: "\(page)")) }
        var components = URLComponents()
        components.path = "/"
        if !items.isEmpty { components.queryItems = items }
        // `+` in a value would read back as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string ?? "/"
    }
}
