import Notebook

/// One way from any error to what the user reads: a diagnostic with a place when the error knows one,
/// else `athanor: error: MESSAGE`.
public enum Diagnostics {
    public static func of(_ error: Error) -> [Diagnostic] {
        switch error {
        case let diagnostic as Diagnostic: return [diagnostic]
        case let list as DiagnosticList: return list.diagnostics
        case let failure as WorkflowFailure: return failure.diagnostics
        default: return [tool(String(describing: error))]
        }
    }

    /// A problem of the command itself, not of a place in a file.
    public static func tool(_ message: String, notes: [String] = []) -> Diagnostic {
        .error(message, file: "athanor", at: nil, notes: notes)
    }

    public static func warning(_ message: String) -> Diagnostic {
        .warning(message, file: "athanor", at: nil)
    }
}
