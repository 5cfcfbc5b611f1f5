import Foundation

/// Step blocks: ```` ```step NAME ```` with a YAML body, and code steps ```` ```LANG step NAME ```` whose `#|`
/// options stand for the body and whose code is kept as written.
extension NotebookParser {
    /// A fence `LANG step NAME` whose language no code step is written in.
    mutating func unknownLanguage(_ language: String, step: String, _ fenced: MarkdownScanner.FencedBlock) {
        let fenceLine = text.line(fenced.firstLine)
        var column = fenced.column
        if let found = fenceLine.range(of: language) {
            column = fenceLine.utf8.distance(from: fenceLine.startIndex, to: found.lowerBound) + 1
        }
        let names = CodeLanguage.allCases.map(\.rawValue)
        error(
            "unknown language '\(language)' for code step '\(step)'; code steps are written in \(names.joined(separator: ", "))",
            at: SourceLocation(line: fenced.firstLine, column: column),
            suggestion: Suggestion.closest(to: language, in: names))
    }

    mutating func readStep(
        _ fenced: MarkdownScanner.FencedBlock, words: [Substring], language: CodeLanguage?, range: LineRange,
        seen: inout [String: Int]
    ) -> StepBlock? {
        let fenceLocation = SourceLocation(line: fenced.firstLine, column: fenced.column)
        let nameIndex = language == nil ? 1 : 2
        guard words.count > nameIndex else {
            let form = language.map { "```\($0.rawValue) step NAME" } ?? "```step NAME"
            error("a step needs a name: write '\(form)'", at: fenceLocation)
            return nil
        }
        let name = String(words[nameIndex])
        let fenceLine = text.line(fenced.firstLine)
        var nameColumn = fenced.column
        if let keyword = fenceLine.range(of: "step"),
            let found = fenceLine.range(of: name, range: keyword.upperBound..<fenceLine.endIndex)
        {
            nameColumn = fenceLine.utf8.distance(from: fenceLine.startIndex, to: found.lowerBound) + 1
        }
        let nameLocation = SourceLocation(line: fenced.firstLine, column: nameColumn)
        var valid = true
        if !Identifier.isStepName(name) {
            error(
                "invalid step name '\(name)': a step name is lowercase letters, digits, '_' and '-', starting with a letter",
                at: nameLocation)
            valid = false
        }
        if words.count > nameIndex + 1 {
            error(
                "unexpected '\(words[(nameIndex + 1)...].joined(separator: " "))' after the step name",
                at: fenceLocation)
        }
        if let first = seen[name] {
            error("duplicate step name '\(name)'", at: nameLocation, notes: ["first defined at line \(first)"])
            valid = false
        } else if valid {
            seen[name] = fenced.firstLine
        }
        if let language {
            return readCodeStep(name, language, fenced, range: range, nameLocation: nameLocation, valid: valid)
        }
        let yaml = body(of: fenced, range)
        guard !yaml.isBlank else {
            error(
                "step '\(name)' is empty: give it 'op:' (an engine operation) or 'run:' (a command)", at: fenceLocation)
            return nil
        }
        var reader = YAMLReader(yaml, file: path)
        let template = reader.readTemplate()
        diagnostics += reader.diagnostics
        guard let template, valid else { return nil }
        guard case .mapping(let entries) = template.kind else {
            let kind = if case .sequence = template.kind { "a list" } else { "a single value" }
            error(
                "the body of step '\(name)' must be a mapping of 'key: value' lines, not \(kind)", at: template.location
            )
            return nil
        }
        let keys = Set(entries.map(\.key))
        if keys.contains("op") && keys.contains("run") {
            error(
                "step '\(name)' has both 'op:' and 'run:'; a step either runs an engine operation or a command",
                at: fenceLocation)
        } else if !keys.contains("op") && !keys.contains("run") {
            error("step '\(name)' needs 'op:' (an engine operation) or 'run:' (a command)", at: fenceLocation)
        }
        return StepBlock(
            name: name, nameLocation: nameLocation, body: template, bodyText: yaml.lines.joined(separator: "\n"),
            lines: range)
    }

    /// A code step: its `#|` options read as a step body, its code kept as written.
    private mutating func readCodeStep(
        _ name: String, _ language: CodeLanguage, _ fenced: MarkdownScanner.FencedBlock, range: LineRange,
        nameLocation: SourceLocation, valid: Bool
    ) -> StepBlock? {
        let inside = range.last - 1 >= range.first + 1 ? text.lines[range.first..<(range.last - 1)] : []
        let fence = CodeFence(lines: inside, firstLine: range.first + 1, indent: fenced.column - 1, language: language)
        if fence.hasNoCode {
            error(
                "\(language.rawValue) step '\(name)' has no code",
                at: SourceLocation(line: fenced.firstLine, column: fenced.column))
            return nil
        }
        var options = TemplateNode(.mapping([]), at: SourceLocation(line: range.first + 1, column: fenced.column))
        if !fence.options.isBlank {
            var reader = YAMLReader(fence.options, file: path)
            let template = reader.readTemplate()
            diagnostics += reader.diagnostics
            guard let template else { return nil }
            guard case .mapping = template.kind else {
                error(
                    "the '#|' options of step '\(name)' must be a mapping of 'key: value' lines",
                    at: template.location)
                return nil
            }
            options = template
        }
        guard valid else { return nil }
        return StepBlock(
            name: name, nameLocation: nameLocation, body: options,
            bodyText: fence.options.lines.joined(separator: "\n"), lines: range, code: fence.code)
    }
}
