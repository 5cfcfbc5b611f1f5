import Notebook

/// A plain-text picture of a parsed notebook with `@line:col` positions, compared against
/// snapshot files so that a change in positions or structure shows up as a diff.
enum NotebookDump {
    static func dump(_ parsed: ParsedNotebook) -> String {
        var lines: [String] = []
        let notebook = parsed.notebook
        let front = notebook.frontMatter
        if let range = front.lines {
            lines.append(
                "front-matter @\(range.first)-\(range.last) title=\(front.title.map { "'\($0)'" } ?? "nil") authors=\(front.authors) tags=\(front.tags)"
            )
        }
        for block in notebook.blocks {
            switch block {
            case .prose(let prose):
                lines.append(
                    "prose @\(prose.lines.first)-\(prose.lines.last) (\(prose.markdown.split(separator: "\n", omittingEmptySubsequences: false).count) lines)"
                )
            case .params(let params):
                lines.append("params @\(params.lines.first)-\(params.lines.last)")
                for parameter in params.parameters {
                    var line = "  \(parameter.name) @\(parameter.location) = \(parameter.value) : \(parameter.type)"
                    if let description = parameter.description { line += " # \(description)" }
                    lines.append(line)
                }
            case .step(let step):
                lines.append("step \(step.name) @\(step.lines.first)-\(step.lines.last) name@\(step.nameLocation)")
                dump(step.body, indent: "  ", into: &lines)
                lines.append("  resolved: \(describe(step.configuration(with: notebook.defaultValues)))")
            }
        }
        for result in notebook.inlineResults {
            lines.append("inline =\(result.expression) @\(result.location)")
        }
        for diagnostic in parsed.diagnostics {
            lines.append(
                "\(diagnostic.severity) @\(diagnostic.location.map(\.description) ?? "-"): \(diagnostic.message)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func dump(_ node: TemplateNode, indent: String, into lines: inout [String]) {
        switch node.kind {
        case .scalar(let scalar):
            let parts = scalar.parts.map { part -> String in
                switch part {
                case .text(let text): "'\(text)'"
                case .parameter(let name, let location): "${\(name)}@\(location)"
                }
            }
            lines.append(
                "\(indent)\(scalar.isPlain ? "plain" : "quoted") @\(node.location) \(parts.joined(separator: " + "))")
        case .sequence(let items):
            lines.append("\(indent)sequence @\(node.location)")
            for item in items { dump(item, indent: indent + "  ", into: &lines) }
        case .mapping(let entries):
            lines.append("\(indent)mapping @\(node.location)")
            for entry in entries {
                lines.append("\(indent)  \(entry.key) @\(entry.keyLocation):")
                dump(entry.value, indent: indent + "    ", into: &lines)
            }
        }
    }

    static func describe(_ node: ConfigNode) -> String {
        switch node.value {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .int(let number): "\(number)"
        case .double(let number): "\(number)f"
        case .string(let text): "'\(text)'"
        case .list(let items): "[" + items.map(describe).joined(separator: ", ") + "]"
        case .mapping(let entries):
            "{" + entries.map { "\($0.key): \(describe($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
