import Foundation
import Mustache

/// The templates a report is rendered with: `report.mustache` (the page), its partials (`step`, `params`,
/// `preview`, `contents-step`) and `report.css`, and a sweep's comparison (`sweep.mustache`, `sweep.css`,
/// `sweep.js`), from the defaults built into the binary, each overridable by a file of the same name in a
/// directory (`--template DIR`).
public struct ReportTemplates: Sendable {
    let library: MustacheLibrary
    /// The stylesheet, inlined into the page.
    let css: String
    /// What a sweep's comparison adds to the stylesheet, and its one script (sorting the table of runs).
    let sweepCSS: String
    let sweepScript: String
    /// What `athanor monitor`'s drift report adds to the stylesheet.
    let driftCSS: String

    /// The built-in templates.
    public static func builtIn() throws -> ReportTemplates {
        try ReportTemplates(files: DefaultTemplates.files)
    }

    /// The built-in templates with those of `directory` in their place; a file of `directory` that is
    /// neither a template (`.mustache`) nor a stylesheet or script named above is ignored.
    public static func overridden(by directory: String) throws -> ReportTemplates {
        var files = DefaultTemplates.files
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw ReportError("template directory '\(directory)' cannot be read")
        }
        for name in names
        where name.hasSuffix(".mustache") || ["report.css", "sweep.css", "sweep.js", "drift.css"].contains(name) {
            let path = url.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path),
                let text = String(data: data, encoding: .utf8)
            else { throw ReportError("template '\(path)' cannot be read as UTF-8 text") }
            files[name] = text
        }
        return try ReportTemplates(files: files, directory: directory)
    }

    init(files: [String: String], directory: String? = nil) throws {
        var library = MustacheLibrary()
        for (name, text) in files.sorted(by: { $0.key < $1.key }) where name.hasSuffix(".mustache") {
            let path = directory.map { "\($0)/\(name)" } ?? "templates/\(name)"
            do {
                library.register(try MustacheTemplate(string: text), named: String(name.dropLast(".mustache".count)))
            } catch let error as MustacheTemplate.ParserError {
                throw ReportError(
                    "\(path):\(error.context.lineNumber):\(error.context.columnNumber): error: template: \(error.error)"
                )
            } catch {
                throw ReportError("\(path): error: template: \(error)")
            }
        }
        guard library.getTemplate(named: "report") != nil else {
            throw ReportError("the templates have no 'report.mustache'")
        }
        self.library = library
        css = files["report.css"] ?? ""
        sweepCSS = files["sweep.css"] ?? ""
        sweepScript = files["sweep.js"] ?? ""
        driftCSS = files["drift.css"] ?? ""
    }

    func render(_ context: [String: Any], template name: String) throws -> String {
        guard let html = library.render(context, withTemplate: name) else {
            throw ReportError("the templates have no '\(name).mustache'")
        }
        return html
    }

    func render(_ context: [String: Any]) throws -> String {
        guard let html = library.render(context, withTemplate: "report") else {
            throw ReportError("the templates have no 'report.mustache'")
        }
        return html
    }
}

/// A report that could not be rendered, read or written.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
