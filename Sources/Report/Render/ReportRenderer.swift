import Crypto
import Foundation
import Notebook
import Runs

/// A rendered report and what rendering found wrong with the notebook (an inline result naming nothing the
/// run recorded), as `FILE:LINE:COL` diagnostics.
public struct RenderedReport: Sendable {
    public var html: String
    public var diagnostics: [Diagnostic]
}

/// Renders a recorded run as one self-contained HTML page (DESIGN §6): styles inline, charts as inline SVG,
/// a Content-Security-Policy that allows no request at all, and the run's manifest embedded for
/// `athanor reproduce REPORT.html`.
public struct ReportRenderer: Sendable {
    let templates: ReportTemplates

    public init(templates: ReportTemplates) {
        self.templates = templates
    }

    /// The report of `run`; `reportName` is the file name it will be saved as, quoted in the page's
    /// "reproduce" command.
    public func render(_ run: RunRecord, reportName: String) throws -> RenderedReport {
        var context = ReportContext(run: run)
        var values = context.summary(reportName: reportName)
        values["document"] = context.document()
        values["contents"] = context.contents
        values["css"] = templates.css
        values["csp"] = Self.contentSecurityPolicy(css: templates.css)
        values["manifest"] = try ReportManifest(run: run).scriptText()
        return RenderedReport(html: try templates.render(values), diagnostics: context.diagnostics)
    }

    /// No request of any kind (no script, font, frame, image or connection from anywhere), the one inline
    /// stylesheet allowed by its hash, and images only as `data:` URLs.
    static func contentSecurityPolicy(css: String) -> String {
        let digest = Data(SHA256.hash(data: Data(css.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'sha256-\(digest)'; img-src data:; base-uri 'none'; form-action 'none'"
    }
}
