import Foundation
import Notebook
import Runs

/// The notebook's prose as HTML (cmark, raw HTML neutralised), with each inline result
/// (`` `=eval.accuracy` ``, `` `=lr` ``) replaced by the value the run recorded.
struct ProseRenderer {
    let notebook: Notebook
    let values: RecordedValues
    private(set) var diagnostics: [Diagnostic] = []
    private var used: Set<Int> = []

    init(notebook: Notebook, values: RecordedValues) {
        self.notebook = notebook
        self.values = values
    }

    mutating func render(_ block: ProseBlock) -> String {
        let html = MarkdownHTML.render(block.markdown)
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var rest = html[...]
        while let open = rest.range(of: "<code>="), let close = rest[open.upperBound...].range(of: "</code>") {
            out += rest[..<open.lowerBound]
            let expression = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += result(expression, in: block) ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }

    /// The HTML standing for `=expression`, or nil when the span is not an inline result of the notebook.
    private mutating func result(_ expression: String, in block: ProseBlock) -> String? {
        guard
            let index = notebook.inlineResults.indices.first(where: { index in
                let candidate = notebook.inlineResults[index]
                return !used.contains(index) && candidate.expression == expression
                    && (block.lines.first...block.lines.last).contains(candidate.location.line)
            })
        else { return nil }
        used.insert(index)
        let inline = notebook.inlineResults[index]
        let escaped = HTML.escape(expression)
        switch values.lookup(inline) {
        case .value(let shown, let exact):
            return "<span class=\"result\" title=\"\(escaped) = \(HTML.escape(exact))\">\(HTML.escape(shown))</span>"
        case .notRun(let step):
            // One quiet mark: a failed run's prose would otherwise repeat the same sentence at every result.
            return "<span class=\"result not-run\" title=\"\(escaped): not recorded, step \(HTML.escape(step)) "
                + "did not run\">–<span class=\"visually-hidden\"> (not recorded: step \(HTML.escape(step)) did "
                + "not run)</span></span>"
        case .missing:
            diagnostics.append(
                .error(
                    "inline result `=\(expression)` names nothing recorded in run \(values.runID)",
                    file: notebook.path, at: inline.location))
            return "<span class=\"result missing\" title=\"\(escaped)\">not recorded</span>"
        }
    }
}

/// The values a run recorded, by the names inline results use.
struct RecordedValues {
    enum Lookup {
        case value(shown: String, exact: String)
        case notRun(step: String)
        case missing
    }

    let runID: String
    private var numbers: [String: Double] = [:]
    private var parameters: [String: String] = [:]
    private var stepsRun: Set<String> = []
    private var stepsKnown: Set<String> = []

    init(_ run: RunRecord) {
        runID = run.id
        for series in run.series {
            if let last = series.points.last { numbers[series.name] = last.value }
        }
        for metric in run.metrics {
            if let value = metric.value { numbers[metric.name] = value }
        }
        for parameter in run.parameters { parameters[parameter.name] = parameter.value }
        stepsKnown = Set(run.steps.map(\.name))
        stepsRun = Set(run.steps.filter { $0.status == .succeeded }.map(\.name))
    }

    func lookup(_ result: InlineResult) -> Lookup {
        if result.member == nil, let json = parameters[result.expression] {
            return .value(shown: RecordedValues.parameterText(json), exact: json)
        }
        if let value = numbers[result.expression] {
            return .value(shown: Format.number(value), exact: Format.exact(value))
        }
        if stepsKnown.contains(result.subject), !stepsRun.contains(result.subject) {
            return .notRun(step: result.subject)
        }
        return .missing
    }

    /// A parameter's recorded JSON as a reader expects it: strings without quotes.
    static func parameterText(_ json: String) -> String {
        if json.hasPrefix("\""), let data = json.data(using: .utf8),
            let text = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? String
        {
            return text
        }
        return json
    }
}
