import Crypto
import Foundation
import Runs

/// A page of `athanor serve` that is not a report (the index of runs, a comparison): the report's stylesheet
/// and look, no script, and a Content-Security-Policy that allows no request but the page's own forms.
public struct BrowsePage: Sendable {
    public var title: String
    /// The content of `<main>`, built from `BrowsePage.escape`d parts.
    public var body: String

    public init(title: String, body: String) {
        self.title = title
        self.body = body
    }

    public func html(templates: ReportTemplates) -> String {
        let css = Self.css(templates)
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta name="generator" content="Athanor \(HTML.escape(AthanorVersion.current))">
            <title>\(HTML.escape(title))</title>
            <style>\(css)</style>
            </head>
            <body>
            <main>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    /// The policy to send with the page: its one stylesheet by hash, images only as `data:`, forms only to
    /// the server itself, and no framing by another site.
    public static func policy(templates: ReportTemplates) -> String {
        let digest = Data(SHA256.hash(data: Data(css(templates).utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'sha256-\(digest)'; img-src data:; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'"
    }

    static func css(_ templates: ReportTemplates) -> String {
        templates.css + "\n" + templates.sweepCSS + "\n" + extraCSS
    }

    /// What the index and comparison add: the filter form, paging and a changed value.
    static let extraCSS = """
        main { max-width: 80rem; }
        form.filter { display: flex; flex-wrap: wrap; gap: 0.6rem 1rem; align-items: end; margin: 1rem 0; }
        form.filter label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); }
        form.filter input, form.filter select, form.filter button { font: inherit; color: var(--text); \
        background: var(--panel); border: 1px solid var(--rule); border-radius: 4px; padding: 0.25rem 0.45rem; }
        th a.sort { color: inherit; }
        table#runs td, table#runs th { white-space: nowrap; }
        nav.pages { display: flex; gap: 1rem; margin: 1rem 0; }
        td.delta-up { color: var(--good); }
        td.delta-down { color: var(--bad); }
        tr.differs th { border-left: 3px solid var(--accent); }
        """

    /// `text` as element content or a quoted attribute value.
    public static func escape(_ text: String) -> String { HTML.escape(text) }
    /// A value as the report shows it (`0.9132`, `1.2e-05`).
    public static func number(_ value: Double) -> String { Format.number(value) }
    /// A date as the report shows it, in UTC.
    public static func date(_ date: Date) -> String { Format.date(date) }
    public static func iso(_ date: Date) -> String { Format.iso(date) }
    /// A duration as the report shows it (`2.4 s`, `3 min 5 s`).
    public static func seconds(_ seconds: Double) -> String { Format.seconds(seconds) }
}

extension ReportTemplates {
    /// The policy a run's report carries in its page, to send with it as well, framing forbidden.
    public var reportPolicy: String {
        ReportRenderer.contentSecurityPolicy(css: css) + "; frame-ancestors 'none'"
    }

    /// The policy a sweep's page carries, to send with it as well, framing forbidden.
    public var sweepPolicy: String {
        SweepReportRenderer.contentSecurityPolicy(css: css + "\n" + sweepCSS, script: sweepScript)
            + "; frame-ancestors 'none'"
    }
}
