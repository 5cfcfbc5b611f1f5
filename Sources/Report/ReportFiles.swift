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
        var diagnostics = rendered.diagnostics
        do {
            try writeReport(rendered.html, to: kept(run.id), what: "the report")
        } catch {
            // An archived, read-only project still renders where it is asked to.
            guard output != nil else { throw error }
            diagnostics.append(.warning("\(error); wrote only the report asked for", file: "athanor", at: nil))
        }
        if let output { try writeReport(rendered.html, to: output, what: "the report") }
        return (main, diagnostics)
    }
}

/// Where a sweep's comparison is written: the chosen file (by default `NOTEBOOK-sweep.html` beside the
/// notebook) and, always, `.athanor/reports/sweep-ID.html` beside its runs' reports, each linking to those
/// reports by a path relative to itself.
public struct SweepReportFiles: Sendable {
    public var project: Project
    public var renderer: SweepReportRenderer

    public init(project: Project, renderer: SweepReportRenderer) {
        self.project = project
        self.renderer = renderer
    }

    /// `NOTEBOOK-sweep.html` beside `NOTEBOOK.md`.
    public static func defaultOutput(forNotebook path: String) -> URL {
        let notebook = URL(fileURLWithPath: path).standardizedFileURL
        let name = notebook.deletingPathExtension().lastPathComponent
        return notebook.deletingLastPathComponent().appendingPathComponent("\(name)-sweep.html")
    }

    public func kept(_ id: String) -> URL {
        project.reportsDirectory.appendingPathComponent("sweep-\(id).html")
    }

    /// Renders `sweep` for each place and writes it there; returns the path of the main one (`output`'s, else
    /// the kept copy's).
    @discardableResult
    public func write(_ sweep: SweepComparison, to output: URL?) throws -> URL {
        for url in [kept(sweep.id)] + (output.map { [$0] } ?? []) {
            let base = Self.relativePath(
                from: url.deletingLastPathComponent(), to: project.reportsDirectory)
            let html = try renderer.render(sweep) { id in base + "\(id).html" }
            do {
                try writeReport(html, to: url, what: "the sweep's report")
            } catch  where output != nil && url == kept(sweep.id) {
                continue  // A read-only project: only the file asked for.
            }
        }
        return output ?? kept(sweep.id)
    }

    /// The relative URL path from the directory `from` to the directory `to`, ending in `/` (empty when they
    /// are the same), each name percent-encoded: `../.athanor/reports/`.
    static func relativePath(from: URL, to: URL) -> String {
        let source = from.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let target = to.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < source.count, common < target.count, source[common] == target[common] { common += 1 }
        let up = Array(repeating: "..", count: source.count - common)
        let down = target[common...].map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? $0 }
        let parts = up + down
        return parts.isEmpty ? "" : parts.joined(separator: "/") + "/"
    }
}

/// Writes a page to `url`, its directory made if need be, through a temporary name renamed into place, so
/// that a reader never opens half a report.
private func writeReport(_ html: String, to url: URL, what: String) throws {
    do {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(html.utf8).write(to: url, options: .atomic)
    } catch {
        throw ReportError("cannot write \(what) '\(url.path)': \(error.localizedDescription)")
    }
}
