import Foundation

/// `athanor check NB.md…`: every problem of each notebook as `FILE:LINE:COL: error: message`, then a summary
/// line per notebook; exit 2 when any has an error.
public struct CheckWorkflow: Sendable {
    /// How the problems are printed: for people, as one JSON list, or as GitHub Actions annotations.
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
        case github
    }

    public var notebooks: [String]
    public var quiet: Bool
    public var format: Format
    public var invocation: Invocation

    public init(notebooks: [String], quiet: Bool = false, format: Format = .text, in invocation: Invocation) {
        self.notebooks = notebooks
        self.quiet = quiet
        self.format = format
        self.invocation = invocation
    }

    public func run() -> CommandStatus {
        perform(invocation.console) {
            var failed = false
            if format != .text {
                let checks = notebooks.map { FileCheck(path: $0, at: invocation.url($0)) }
                let diagnostics = checks.flatMap(\.diagnostics)
                if format == .json {
                    invocation.console.printJSON(diagnostics.map(Self.json))
                } else {
                    for diagnostic in diagnostics { invocation.console.print(Self.annotation(diagnostic)) }
                }
                return checks.contains(where: \.hasErrors) ? .invalid : .success
            }
            for path in notebooks {
                let check = FileCheck(path: path, at: invocation.url(path))
                invocation.console.report(check.diagnostics, source: check.source)
                if check.hasErrors { failed = true }
                if !quiet || check.hasErrors { invocation.console.print(check.summary) }
            }
            return failed ? .invalid : .success
        }
    }

    /// `{"file", "line", "column", "severity", "message", "suggestion", "notes"}`; no place is null.
    static func json(_ diagnostic: Diagnostic) -> [String: Any] {
        [
            "file": diagnostic.file, "line": diagnostic.location.map { $0.line as Any } ?? NSNull(),
            "column": diagnostic.location.map { $0.column as Any } ?? NSNull(),
            "severity": diagnostic.severity.rawValue, "message": diagnostic.message,
            "suggestion": diagnostic.suggestion ?? NSNull(), "notes": diagnostic.notes,
        ]
    }

    /// `::error file=nb.md,line=12,col=5::message`, GitHub Actions' workflow command for an annotation, its
    /// properties and message escaped as the runner expects (`%`, CR, LF; and `:` `,` in properties).
    static func annotation(_ diagnostic: Diagnostic) -> String {
        func escaped(_ text: String, property: Bool) -> String {
            var text = text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A")
            if property {
                text = text.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
            }
            return text
        }
        let command = diagnostic.severity == .note ? "notice" : diagnostic.severity.rawValue
        var properties = ["file=\(escaped(diagnostic.file, property: true))"]
        if let location = diagnostic.location { properties += ["line=\(location.line)", "col=\(location.column)"] }
        var message = diagnostic.message
        if let suggestion = diagnostic.suggestion { message += "; did you mean '\(suggestion)'?" }
        for note in diagnostic.notes { message += "\nnote: \(note)" }
        return "::\(command) \(properties.joined(separator: ","))::\(escaped(message, property: false))"
    }
}
