import Notebook

/// A diagnostic as a compiler prints it for a person: the `FILE:LINE:COL: error: message` line (which editors
/// and CI still parse), then the source line quoted with a `^` under the column, in colour when asked.
public enum DiagnosticText {
    public static func render(_ diagnostic: Diagnostic, source: String?, colour: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let severity: String
        switch diagnostic.severity {
        case .error: severity = paint("error:", "1;31")
        case .warning: severity = paint("warning:", "1;35")
        case .note: severity = paint("note:", "1;30")
        }
        var head = diagnostic.file
        if let location = diagnostic.location { head += ":\(location.line):\(location.column)" }
        var message = TerminalText.escaped(diagnostic.message)
        if let suggestion = diagnostic.suggestion {
            message += "; did you mean '\(paint(TerminalText.escaped(suggestion), "1;32"))'?"
        }
        var lines = [paint(head + ":", "1") + " \(severity) " + message]
        if let location = diagnostic.location, let quoted = line(location.line, of: source) {
            let number = String(location.line)
            let gutter = String(repeating: " ", count: number.count)
            // Tabs stay tabs under the caret, so that it lines up however the terminal expands them.
            let lead = quoted.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
            lines.append("\(paint(number + " |", "34")) \(TerminalText.escaped(String(quoted)))")
            lines.append("\(paint(gutter + " |", "34")) \(lead)\(paint("^", "1;32"))")
        }
        for note in diagnostic.notes {
            lines.append(paint(head + ":", "1") + " \(paint("note:", "1;30")) \(TerminalText.escaped(note))")
        }
        return lines.joined(separator: "\n")
    }

    /// Line `number` (1-based) of `source`, without its terminator; nil past the end.
    static func line(_ number: Int, of source: String?) -> Substring? {
        guard let source else { return nil }
        let lines = SourceText(source).lines
        return lines.indices.contains(number - 1) ? lines[number - 1] : nil
    }
}
