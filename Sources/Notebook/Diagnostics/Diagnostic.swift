/// A position in a notebook: 1-based line, and 1-based column counted in UTF-8 bytes as compilers do.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// One problem found in a notebook or on the command line, printed as `FILE:LINE:COL: error: MESSAGE`.
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
        case note
    }

    public var severity: Severity
    public var message: String
    public var file: String
    public var location: SourceLocation?
    /// A replacement that would fix the problem, as in "did you mean 'epochs'?".
    public var suggestion: String?
    /// Further lines that help, each printed as a `note:` under the diagnostic.
    public var notes: [String]

    public init(
        _ severity: Severity, _ message: String, file: String, at location: SourceLocation?,
        suggestion: String? = nil, notes: [String] = []
    ) {
        self.severity = severity
        self.message = message
        self.file = file
        self.location = location
        self.suggestion = suggestion
        self.notes = notes
    }

    public static func error(
        _ message: String, file: String, at location: SourceLocation?, suggestion: String? = nil,
        notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(.error, message, file: file, at: location, suggestion: suggestion, notes: notes)
    }

    public static func warning(
        _ message: String, file: String, at location: SourceLocation?, suggestion: String? = nil,
        notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(.warning, message, file: file, at: location, suggestion: suggestion, notes: notes)
    }

    /// The diagnostic as editors and terminals expect it; notes follow on their own lines.
    public var description: String {
        var head = file
        if let location { head += ":\(location.line):\(location.column)" }
        var text = "\(head): \(severity.rawValue): \(message)"
        if let suggestion { text += "; did you mean '\(suggestion)'?" }
        for note in notes { text += "\n\(head): note: \(note)" }
        return text
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Diagnostics in file order, so that a reader fixes them top to bottom.
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let la = a.element.location ?? SourceLocation(line: 0, column: 0)
            let lb = b.element.location ?? SourceLocation(line: 0, column: 0)
            return la == lb ? a.offset < b.offset : la < lb
        }.map(\.element)
    }
}

/// Several diagnostics as one error, for results that fail with every problem found.
public struct DiagnosticList: Error, Sendable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}
