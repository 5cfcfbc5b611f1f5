import Foundation

/// The result of parsing: the notebook as far as it could be read, and every problem found.
public struct ParsedNotebook: Sendable {
    public var notebook: Notebook
    public var diagnostics: [Diagnostic]
}

/// Turns a notebook's text into a `Notebook`, checking every rule of the format (DESIGN §1) that
/// does not need to know the engine's operations, and collecting every problem rather than the first.
public struct NotebookParser {
    public static func parse(_ source: String, path: String) -> ParsedNotebook {
        var parser = NotebookParser(source: source, path: path)
        return parser.run()
    }

    private let source: String
    let path: String
    let text: SourceText
    var diagnostics: [Diagnostic] = []

    private init(source: String, path: String) {
        self.source = source
        self.path = path
        self.text = SourceText(source)
    }

    mutating func error(
        _ message: String, at location: SourceLocation, suggestion: String? = nil, notes: [String] = []
    ) {
        diagnostics.append(.error(message, file: path, at: location, suggestion: suggestion, notes: notes))
    }

    private mutating func warning(_ message: String, at location: SourceLocation, suggestion: String? = nil) {
        diagnostics.append(.warning(message, file: path, at: location, suggestion: suggestion))
    }

    private mutating func run() -> ParsedNotebook {
        let (frontMatter, markdown) = readFrontMatter()
        let scan = MarkdownScanner.scan(markdown, codeSpanPrefix: "=")
        var machineBlocks: [(range: LineRange, block: Block)] = []
        var stepLines: [String: Int] = [:]
        var parameterLines: [String: Int] = [:]
        var unreadable: Set<String> = []
        for fenced in scan.fencedBlocks {
            let words = fenced.info.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = words.first else { continue }
            let fenceLocation = SourceLocation(line: fenced.firstLine, column: fenced.column)
            var language: CodeLanguage?
            if words.count >= 2, words[1] == "step", first != "step" {
                guard let found = CodeLanguage(rawValue: String(first)) else {
                    // `ruby step x` means a step; longer info strings are more likely prose.
                    if words.count == 3 { unknownLanguage(String(first), step: String(words[2]), fenced) }
                    continue
                }
                language = found
            } else if first != "params" && first != "step" {
                // A display-only block (```` ```python ````): prose, never run.
                continue
            }
            let kind = language.map { "\($0.rawValue) step" } ?? String(first)
            guard fenced.isTopLevel else {
                warning(
                    "a '\(kind)' block inside a list or quote is shown as code and not run; move it to the top level",
                    at: fenceLocation)
                continue
            }
            guard let range = closedRange(of: fenced) else {
                error("unclosed code fence: this '\(kind)' block runs to the end of the file", at: fenceLocation)
                continue
            }
            if kind == "params" {
                if words.count > 1 {
                    error("unexpected '\(words[1...].joined(separator: " "))' after 'params'", at: fenceLocation)
                }
                guard let block = readParams(fenced, range: range, seen: &parameterLines) else { continue }
                machineBlocks.append((range, .params(block)))
            } else {
                guard let step = readStep(fenced, words: words, language: language, range: range, seen: &stepLines)
                else {
                    unreadable.formUnion(stepLines.filter { $0.value == fenced.firstLine }.keys)
                    continue
                }
                machineBlocks.append((range, .step(step)))
            }
        }
        var notebook = Notebook(
            path: path, source: source, frontMatter: frontMatter,
            blocks: interleaveProse(with: machineBlocks, after: frontMatter.lines?.last ?? 0),
            inlineResults: [])
        notebook.unreadableSteps = unreadable
        checkInterpolations(in: notebook)
        notebook.inlineResults = readInlineResults(scan.codeSpans, notebook: notebook)
        return ParsedNotebook(notebook: notebook, diagnostics: diagnostics.sortedByLocation())
    }

    // MARK: Front matter

    /// Reads the YAML header, and returns the Markdown with the header's lines blanked so that
    /// cmark's line numbers are the file's.
    private mutating func readFrontMatter() -> (FrontMatter, String) {
        guard text.lines.first?.trimming(" \t") == "---" else { return (FrontMatter(), source) }
        guard
            let close = text.lines.indices.dropFirst().first(where: {
                let line = text.lines[$0].trimming(" \t")
                return line == "---" || line == "..."
            })
        else {
            error(
                "front matter opened with '---' is never closed; end it with a '---' line",
                at: SourceLocation(line: 1, column: 1))
            return (FrontMatter(), source)
        }
        let lastLine = close + 1
        let closingLine = text.lines[close]
        let rest = closingLine.endIndex < source.endIndex ? source[source.index(after: closingLine.endIndex)...] : ""
        let markdown = String(repeating: "\n", count: lastLine) + rest
        var frontMatter = FrontMatter(lines: LineRange(1, lastLine))
        let body = YAMLBody(lines: text.lines[1..<close], firstLine: 2, indent: 0)
        guard !body.isBlank else { return (frontMatter, markdown) }
        var reader = YAMLReader(body, file: path)
        let node = reader.readValues()
        diagnostics += reader.diagnostics
        guard let node else { return (frontMatter, markdown) }
        guard let entries = node.entries else {
            error("front matter must be a mapping of key: value, not \(node.value.kindDescription)", at: node.location)
            return (frontMatter, markdown)
        }
        let known = ["title", "description", "author", "tags"]
        for entry in entries {
            switch entry.key {
            case "title": frontMatter.title = frontMatterString(entry)
            case "description": frontMatter.description = frontMatterString(entry)
            case "author": frontMatter.authors = frontMatterStrings(entry)
            case "tags": frontMatter.tags = frontMatterStrings(entry)
            default:
                warning(
                    "unknown front matter key '\(entry.key)' is ignored", at: entry.keyLocation,
                    suggestion: Suggestion.closest(to: entry.key, in: known))
            }
        }
        return (frontMatter, markdown)
    }

    private mutating func frontMatterString(_ entry: ConfigEntry) -> String? {
        switch entry.value.value {
        case .string(let text): return text
        case .int, .double, .bool: return scalarText(entry.value.value)
        default:
            error("'\(entry.key)' must be text, not \(entry.value.value.kindDescription)", at: entry.value.location)
            return nil
        }
    }

    private mutating func frontMatterStrings(_ entry: ConfigEntry) -> [String] {
        if case .list(let items) = entry.value.value {
            return items.compactMap { item in
                guard let text = scalarText(item.value) else {
                    error(
                        "each item of '\(entry.key)' must be text, not \(item.value.kindDescription)", at: item.location
                    )
                    return nil
                }
                return text
            }
        }
        return frontMatterString(entry).map { [$0] } ?? []
    }

    private func scalarText(_ value: ConfigValue) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): String(flag)
        default: nil
        }
    }

    // MARK: Fenced blocks

    /// The block's lines, if its closing fence is there; cmark runs an unclosed fence to the end.
    private func closedRange(of fenced: MarkdownScanner.FencedBlock) -> LineRange? {
        let opening = text.line(fenced.firstLine).drop { $0 == " " }
        guard let fenceCharacter = opening.first else { return nil }
        let fenceLength = opening.prefix { $0 == fenceCharacter }.count
        guard fenced.lastLine > fenced.firstLine else { return nil }
        let closing = text.line(fenced.lastLine).trimming(" \t")
        guard closing.count >= fenceLength, closing.allSatisfy({ $0 == fenceCharacter }) else { return nil }
        return LineRange(fenced.firstLine, fenced.lastLine)
    }

    func body(of fenced: MarkdownScanner.FencedBlock, _ range: LineRange) -> YAMLBody {
        let lines = range.last - 1 >= range.first + 1 ? text.lines[range.first..<(range.last - 1)] : []
        return YAMLBody(lines: lines, firstLine: range.first + 1, indent: fenced.column - 1)
    }

    private mutating func readParams(
        _ fenced: MarkdownScanner.FencedBlock, range: LineRange, seen: inout [String: Int]
    ) -> ParamsBlock? {
        let yaml = body(of: fenced, range)
        guard !yaml.isBlank else {
            error(
                "empty params block: declare parameters as 'name: value' lines",
                at: SourceLocation(line: range.first + 1, column: 1))
            return nil
        }
        var reader = YAMLReader(yaml, file: path)
        let node = reader.readValues()
        diagnostics += reader.diagnostics
        guard let node else { return nil }
        guard let entries = node.entries else {
            error(
                "a params block must be a mapping of 'name: value' lines, not \(node.value.kindDescription)",
                at: node.location)
            return nil
        }
        var parameters: [Parameter] = []
        for entry in entries {
            guard Identifier.isParameterName(entry.key) else {
                error(
                    "'\(entry.key)' is not a valid parameter name: use letters, digits and '_', not starting with a digit",
                    at: entry.keyLocation)
                continue
            }
            if let first = seen[entry.key] {
                error(
                    "parameter '\(entry.key)' is declared twice", at: entry.keyLocation,
                    notes: ["first declared at line \(first)"])
                continue
            }
            seen[entry.key] = entry.keyLocation.line
            guard let value = parameterValue(entry.value, name: entry.key) else { continue }
            parameters.append(
                Parameter(
                    name: entry.key, value: value, description: trailingComment(onLine: entry.keyLocation.line),
                    location: entry.keyLocation))
        }
        return ParamsBlock(parameters: parameters, lines: range)
    }

    private mutating func parameterValue(_ node: ConfigNode, name: String) -> ParameterValue? {
        switch node.value {
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .bool(let value): return .bool(value)
        case .string(let value): return .string(value)
        case .null:
            error("parameter '\(name)' has no value; give it a default", at: node.location)
        case .mapping:
            error(
                "parameter '\(name)' must be a number, boolean, string or a list of those, not a mapping",
                at: node.location)
        case .list(let items):
            var values: [ParameterValue] = []
            for item in items {
                if case .list = item.value {
                    error(
                        "parameter '\(name)' is a list of lists; a parameter's list holds numbers, booleans or strings",
                        at: item.location)
                    return nil
                }
                guard let value = parameterValue(item, name: name) else { return nil }
                values.append(value)
            }
            guard let type = ParameterType.common(values.map(\.type)) else {
                error("the items of parameter '\(name)' must all have one type", at: node.location)
                return nil
            }
            if type == .float {
                values = values.map { if case .int(let number) = $0 { .double(Double(number)) } else { $0 } }
            }
            return .list(values)
        }
        return nil
    }

    /// The `# comment` at the end of a line, outside quotes.
    private func trailingComment(onLine number: Int) -> String? {
        var quote: Character?
        var previous: Character = " "
        let line = text.line(number)
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#", previous == " " || previous == "\t" {
                let comment = line[line.index(after: index)...].trimming(" \t")
                return comment.isEmpty ? nil : comment
            }
            previous = character
        }
        return nil
    }

    // MARK: References to parameters and results

    private mutating func checkInterpolations(in notebook: Notebook) {
        let names = notebook.parameters.map(\.name)
        let known = Set(names)
        for step in notebook.steps {
            for reference in step.body.parameterReferences where !known.contains(reference.name) {
                error(
                    "unknown parameter '\(reference.name)' in step '\(step.name)'", at: reference.location,
                    suggestion: Suggestion.closest(to: reference.name, in: names))
            }
        }
    }

    private mutating func readInlineResults(_ spans: [MarkdownScanner.CodeSpan], notebook: Notebook) -> [InlineResult] {
        let stepNames = notebook.steps.map(\.name)
        let parameterNames = notebook.parameters.map(\.name)
        var results: [InlineResult] = []
        for span in spans {
            let expression = String(span.text.dropFirst()).trimming(" \t")
            let result = InlineResult(
                expression: expression, location: SourceLocation(line: span.line, column: span.column))
            if expression.isEmpty {
                error("empty inline result: write `=STEP.METRIC` or `=PARAMETER`", at: result.location)
                continue
            }
            if let member = result.member {
                if notebook.unreadableSteps.contains(result.subject) { continue }
                if !stepNames.contains(result.subject) {
                    error(
                        "inline result `=\(expression)` names unknown step '\(result.subject)'", at: result.location,
                        suggestion: Suggestion.closest(to: result.subject, in: stepNames))
                    continue
                }
                if member.isEmpty {
                    error(
                        "inline result `=\(expression)` names no metric of step '\(result.subject)'",
                        at: result.location)
                    continue
                }
            } else if stepNames.contains(expression) {
                error(
                    "inline result `=\(expression)` names a step; name one of its metrics, as in `=\(expression).accuracy`",
                    at: result.location)
                continue
            } else if !parameterNames.contains(expression) {
                error(
                    "inline result `=\(expression)` names neither a parameter nor a step's metric", at: result.location,
                    suggestion: Suggestion.closest(to: expression, in: parameterNames + stepNames))
                continue
            }
            results.append(result)
        }
        return results
    }

    // MARK: Prose

    /// The document in order: prose between the machine blocks, as runs of source lines.
    private func interleaveProse(with blocks: [(range: LineRange, block: Block)], after frontMatterEnd: Int) -> [Block]
    {
        var result: [Block] = []
        var next = frontMatterEnd + 1
        func prose(upTo last: Int) -> Block? {
            guard last >= next else { return nil }
            let lines = text.lines[(next - 1)..<last]
            guard lines.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
            return .prose(ProseBlock(markdown: lines.joined(separator: "\n"), lines: LineRange(next, last)))
        }
        for (range, block) in blocks.sorted(by: { $0.range.first < $1.range.first }) {
            if let prose = prose(upTo: range.first - 1) { result.append(prose) }
            result.append(block)
            next = range.last + 1
        }
        if let prose = prose(upTo: text.lines.count) { result.append(prose) }
        return result
    }
}
