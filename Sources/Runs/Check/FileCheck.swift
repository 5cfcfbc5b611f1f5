import Foundation
import Notebook

/// The outcome of checking one notebook file, as `athanor check` prints it.
public struct FileCheck: Sendable {
    public var path: String
    public var notebook: Notebook?
    public var diagnostics: [Diagnostic]
    /// The file's text, when it could be read: diagnostics quote their line from it.
    public var source: String?

    public var hasErrors: Bool { diagnostics.hasErrors || notebook == nil }

    /// Reads, parses and checks the notebook at `path`, with the data files its `load` steps read
    /// (their headers only), as `athanor check` and `athanor run` do before anything runs.
    ///
    /// - Parameters:
    ///   - location: where the file is, when `path` (as the user gave it, and as diagnostics name it)
    ///     is relative to another folder than the process's.
    ///   - checkedCode: python code compiled before without error, which is not compiled again.
    public init(path: String, at location: URL? = nil, checkedCode: CheckedCode? = nil) {
        self.path = path
        let file = location ?? URL(fileURLWithPath: path)
        switch NotebookFile.read(file.path) {
        case .failure(var diagnostic):
            diagnostic.file = path
            notebook = nil
            diagnostics = [diagnostic]
        case .success(let source):
            self.source = source
            let directory = file.deletingLastPathComponent()
            (notebook, diagnostics) = NotebookChecker.check(
                source, path: path, dataDirectory: directory, checkedCode: checkedCode)
            // Most often a fence written ```yaml or ```steps: the file would "run" and do nothing.
            if let notebook, notebook.steps.isEmpty, !diagnostics.hasErrors {
                diagnostics.append(
                    .warning(
                        "the notebook has no steps, so a run does nothing", file: path,
                        at: SourceLocation(line: 1, column: 1),
                        notes: ["a step is a fenced block opened with ```step NAME (or ```python step NAME)"]))
            }
        }
    }

    /// One line for a notebook that checks out: `notebooks/digits.md: ok (5 parameters, 7 steps)`.
    public var summary: String {
        guard let notebook, !hasErrors else {
            let errors = diagnostics.filter { $0.severity == .error }.count
            return "\(path): \(errors) error\(errors == 1 ? "" : "s")"
        }
        let parameters = notebook.parameters.count
        let steps = notebook.steps.count
        var text =
            "\(path): ok (\(parameters) parameter\(parameters == 1 ? "" : "s"), \(steps) step\(steps == 1 ? "" : "s")"
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        if warnings > 0 { text += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
        return text + ")"
    }
}
