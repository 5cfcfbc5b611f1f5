import Foundation
import Notebook
import Runs

/// Where a run's report is written: the chosen file (by default next to the notebook, as Quarto and knitr
/// do) and, always, `.athanor/reports/RUNID.html`, each written to a temporary name and renamed into place.
public struct ReportFiles: Sendable {
    public var project: Project
    public var renderer: ReportRenderer

    public init(project: Project, renderer: ReportRenderer) {
        self.project = project
        self.renderer = renderer
    }

    /// `NOTEBOOK.html` beside `NOTEBOOK.md`.
    public static func defaultOutput(forNotebook path: String) -> URL {
        URL(fileURLWithPath: path).standardizedFileURL.deletingPathExtension().appendingPathExtension("html")
    }

    public func kept(_ id: String) -> URL {
        project.reportsDirectory.appendingPathComponent("\(id).html")
    }

    /// Renders `run` and writes it to `output` (when given) and to the project's copy; returns the path
    /// the record should name (`output`'s, else the copy's) and the rendering's diagnostics.
    public func write(_ run: RunRecord, to output: URL?) throws -> (report: URL, diagnostics: [Diagnostic]) {
        let main = output ?? kept(run.id)
        let rendered = try renderer.render(run, reportName: main.lastPathComponent)
        let bytes = Data(rendered.html.utf8)
        for url in [kept(run.id)] + (output.map { [$0] } ?? []) {
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try bytes.write(to: url, options: .atomic)
            } catch {
                throw ReportError("cannot write the report '\(url.path)': \(error.localizedDescription)")
            }
        }
        return (main, rendered.diagnostics)
    }
}
